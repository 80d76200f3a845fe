import type { FlowEvent, FlowListener } from '../flow/events.js'
import { noticeOf } from '../runner/prompt.js'
import type { Runner } from '../runner/runner.js'

/** Annotations on the run page, pushed while the step runs: where the approver may look first. */
export function noticeListener(runner: Pick<Runner, 'notice'>): FlowListener {
  return {
    on(event: FlowEvent): void {
      if (event.type !== 'code-ready') return
      const notice = noticeOf(event.prompt, event.atMs)
      runner.notice(notice.message, notice.title)
    }
  }
}
