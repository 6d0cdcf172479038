/**
 * The widget's styles, inside its shadow root: the host page's CSS does not reach in and ours does
 * not leak out. Colours meet 4.5:1 on their backgrounds (#00347a on white 12.6:1, #1a1a1a on
 * #eef2f8 15:1, white on #00347a 12.6:1); sizes in rem so the page's zoom carries through; the
 * panel takes the whole width on a narrow screen (320 px) and scrolls inside at 200 % zoom.
 */
export const STYLES = `
:host { all: initial; font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; font-size: 1rem; line-height: 1.45; color: #1a1a1a; }
*, *::before, *::after { box-sizing: border-box; }
.vh { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
button, input, select { font: inherit; }
:focus-visible { outline: 3px solid #00347a; outline-offset: 2px; box-shadow: 0 0 0 5px #fff; }
a { color: #00347a; text-decoration: underline; }
a:hover { text-decoration-thickness: 2px; }
.launcher { position: fixed; right: 1rem; bottom: 1rem; z-index: 2147483000; display: inline-flex; align-items: center; gap: .5rem; min-height: 3rem; padding: .6rem 1.1rem; border: 2px solid #fff; border-radius: 1.5rem; background: #00347a; color: #fff; font-weight: 600; cursor: pointer; box-shadow: 0 2px 8px rgba(0,0,0,.3); }
.launcher:hover { background: #002459; }
.launcher svg { width: 1.4rem; height: 1.4rem; flex: none; }
.panel { position: fixed; right: 1rem; bottom: 4.75rem; z-index: 2147483000; display: flex; flex-direction: column; width: min(25rem, calc(100vw - 1rem)); height: min(38rem, calc(100vh - 6rem)); height: min(38rem, calc(100dvh - 6rem)); min-height: 12rem; background: #fff; border: 1px solid #6b7280; border-radius: .75rem; box-shadow: 0 4px 24px rgba(0,0,0,.25); overflow: hidden; }
.panel[hidden], [hidden] { display: none !important; }
@media (max-width: 30rem) { .panel { right: .5rem; left: .5rem; width: auto; bottom: 4.25rem; } .launcher { right: .5rem; bottom: .5rem; } header h2 { flex: 1 1 0; } header label { order: 3; flex-basis: 100%; } header button { order: 2; } }
@media (max-height: 24rem) { .panel { top: .25rem; bottom: 4rem; height: auto; min-height: 0; } }
header { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem; padding: .5rem .75rem; background: #00347a; color: #fff; }
header h2 { flex: 1 1 8rem; margin: 0; font-size: 1.1rem; }
header label { display: flex; align-items: center; gap: .25rem; font-size: .9rem; }
header select { padding: .2rem; border: 1px solid #fff; border-radius: .25rem; background: #fff; color: #1a1a1a; }
header button { min-width: 2.5rem; min-height: 2.5rem; border: 1px solid #fff; border-radius: .25rem; background: transparent; color: #fff; font-size: 1.25rem; cursor: pointer; }
header :focus-visible { outline-color: #fff; box-shadow: 0 0 0 5px #00347a; }
.body, .consent { flex: 1; display: flex; flex-direction: column; min-height: 0; }
.log { flex: 1; overflow-y: auto; padding: .75rem; display: flex; flex-direction: column; gap: .6rem; }
.msg { max-width: 90%; padding: .5rem .75rem; border-radius: .75rem; white-space: pre-line; overflow-wrap: anywhere; }
.msg.bot { align-self: flex-start; background: #eef2f8; }
.msg.me { align-self: flex-end; background: #00347a; color: #fff; }
.msg.note { align-self: center; max-width: 100%; background: #fff8e1; border: 1px solid #8a6d00; font-size: .95rem; }
.msg ul { margin: .4rem 0 0; padding-left: 1.1rem; white-space: normal; }
.msg li { margin: .3rem 0; }
.take { display: inline-block; margin-top: .25rem; padding: .3rem .6rem; border: 2px solid #00347a; border-radius: .4rem; background: #fff; color: #00347a; font-weight: 600; cursor: pointer; }
.take:hover { background: #e3ebf6; }
.typing { padding: 0 .75rem .25rem; font-style: italic; color: #4a4a4a; }
.alert:empty { display: none; }
.alert p { margin: 0; }
.alert { margin: 0 .75rem .5rem; padding: .5rem .75rem; border: 2px solid #b00020; border-radius: .5rem; background: #fff; color: #1a1a1a; }
.alert button { margin-top: .4rem; }
.quick { display: flex; flex-wrap: wrap; gap: .3rem; padding: 0 .75rem .5rem; border: 0; margin: 0; }
.quick legend { padding: 0 0 .25rem; font-size: .9rem; }
.quick button { min-width: 2.5rem; min-height: 2.5rem; border: 2px solid #00347a; border-radius: .4rem; background: #fff; color: #00347a; font-weight: 600; cursor: pointer; }
.quick button:hover { background: #e3ebf6; }
form.composer { display: flex; flex-wrap: wrap; gap: .5rem; padding: .6rem .75rem .75rem; border-top: 1px solid #6b7280; }
form.composer label { flex-basis: 100%; font-size: .9rem; font-weight: 600; }
form.composer input { flex: 1 1 8rem; min-width: 0; min-height: 2.5rem; padding: .4rem .6rem; border: 2px solid #4a4a4a; border-radius: .4rem; color: #1a1a1a; background: #fff; }
.primary, .secondary { min-height: 2.5rem; padding: .4rem 1rem; border-radius: .4rem; font-weight: 600; cursor: pointer; }
.primary { border: 2px solid #00347a; background: #00347a; color: #fff; }
.primary:hover { background: #002459; }
.secondary { border: 2px solid #00347a; background: #fff; color: #00347a; }
.consent { overflow-y: auto; padding: .75rem; gap: .6rem; }
.consent h3 { margin: 0; font-size: 1.1rem; }
.consent p { margin: 0; }
.consent fieldset { margin: 0; padding: .5rem .75rem; border: 1px solid #6b7280; border-radius: .5rem; }
.consent legend { font-weight: 600; padding: 0 .25rem; }
.consent label { display: flex; gap: .5rem; align-items: flex-start; margin: .35rem 0; }
.consent input[type=checkbox], .consent input[type=radio] { width: 1.25rem; height: 1.25rem; margin: .1rem 0 0; flex: none; accent-color: #00347a; }
.consent .demo { padding: .5rem .75rem; border-left: 4px solid #8a6d00; background: #fff8e1; }
.consent .actions { display: flex; flex-wrap: wrap; gap: .5rem; }
.consent .code { font-size: 1.6rem; font-weight: 700; letter-spacing: .08em; font-family: ui-monospace, monospace; }
.consent img { width: 10rem; height: 10rem; }
@media (prefers-reduced-motion: no-preference) { .panel { animation: rise .18s ease-out; } @keyframes rise { from { opacity: 0; transform: translateY(.5rem); } to { opacity: 1; transform: none; } } }
@media (forced-colors: active) { .launcher, .primary, .msg.me { border: 2px solid ButtonText; } }
`;
