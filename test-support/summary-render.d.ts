// Types for test-support/summary-render.js (the job summary rendered as GitHub renders it).
import type { Browser, Page } from 'playwright-core'

/** Markdown (with HTML) to HTML, CommonMark with the GFM extensions, raw HTML passed through. */
export function markdownToHtml(markdown: string): string
/** A page showing the summary as GitHub would: rendered, sanitized to GitHub's allow-list, styled. */
export function openSummary(browser: Browser, markdown: string): Promise<Page>
