// The encoder of the `qrcode` package without its renderers (PNG, SVG, terminal): the same
// create() that @types/qrcode declares for the package's entry.
declare module 'qrcode/lib/core/qrcode.js' {
  export { create } from 'qrcode'
}
