// A few rules on top of the System Console's own Bootstrap styles, injected once.
const CSS = `
.pagertree-chips { display: flex; flex-wrap: wrap; gap: 4px; height: auto; min-height: 34px; align-items: center; }
.pagertree-chip { display: inline-flex; align-items: center; gap: 4px; padding: 1px 4px 1px 8px; border-radius: 12px;
  background: rgba(var(--button-bg-rgb, 28, 88, 217), 0.12); font-size: 13px; }
.pagertree-chip--warn { background: rgba(255, 188, 31, 0.3); }
.pagertree-chip__remove { border: 0; background: none; cursor: pointer; font-size: 15px; line-height: 1; padding: 0 4px; }
.pagertree-chips__input { border: 0; outline: none; flex: 1; min-width: 160px; background: transparent; }
.pagertree-error { color: var(--error-text, #d24b4e); margin-top: 4px; }
.pagertree-warning { color: #8a6500; margin-top: 4px; }
.pagertree-input--error { border-color: var(--error-text, #d24b4e); }
.pagertree-alias-row { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin-bottom: 6px; }
.pagertree-alias-row .form-control { width: auto; flex: 1; }
.pagertree-alias-row .pagertree-error { flex-basis: 100%; }
.pagertree-channel-list { list-style: none; padding: 0; margin: 0 0 6px; }
.pagertree-channel-results { list-style: none; padding: 0; border: 1px solid rgba(0,0,0,.15); border-radius: 4px; max-height: 200px; overflow: auto; }
.pagertree-result { margin-top: 8px; }
.pagertree-preview-options { display: flex; gap: 16px; margin-top: 6px; }
.pagertree-preview-text { white-space: pre-wrap; background: transparent; border: 0; padding: 4px 0; margin: 4px 0; font-family: inherit; }
.pagertree-preview-text mark { background: #ffe066; padding: 0 1px; }
.pagertree-deliveries { margin-top: 8px; font-size: 12px; }
.pagertree-status--failed td { color: var(--error-text, #d24b4e); }
.pagertree-steps { padding-left: 18px; }
.pagertree-steps li { margin-bottom: 6px; }
.pagertree-copyable { display: flex; flex-wrap: wrap; align-items: center; gap: 4px; margin: 2px 0; }
.pagertree-copyable code { word-break: break-all; }
.pagertree-route { border: 1px solid rgba(0,0,0,.15); border-radius: 4px; padding: 8px 12px; margin-bottom: 10px; }
.pagertree-route legend { font-size: 14px; font-weight: 600; width: auto; border: 0; margin: 0; padding: 0 4px; }
.pagertree-route__row { margin-bottom: 8px; }
.pagertree-route__row > label, .pagertree-route__row > span { display: block; font-weight: normal; margin-bottom: 2px; }
.pagertree-route__inline { display: flex; gap: 16px; }
.pagertree-route__inline label { font-weight: normal; }
.pagertree-route__check { font-weight: normal; display: block; margin-top: 4px; }
.pagertree-verdict--yes { color: #06752c; margin-top: 4px; }
.pagertree-verdict--no { color: #8a6500; margin-top: 4px; }
.pagertree-import { margin-top: 10px; }
.pagertree-import-list { padding-left: 18px; margin: 6px 0; }
.pagertree-modal__backdrop { position: fixed; inset: 0; z-index: 1050; background: rgba(0, 0, 0, .5); display: flex;
  align-items: flex-start; justify-content: center; overflow-y: auto; padding: 64px 16px; box-sizing: border-box; }
.pagertree-modal { background: var(--center-channel-bg, #fff); color: var(--center-channel-color, #3d3c40); width: 100%;
  max-width: 560px; border-radius: 8px; box-shadow: 0 20px 32px rgba(0, 0, 0, .12); padding: 24px 32px; box-sizing: border-box; }
.pagertree-modal__title { font-size: 22px; font-weight: 600; margin: 0 0 12px; }
.pagertree-modal__from { opacity: .75; margin: 0 0 16px; }
.pagertree-modal__field { margin-bottom: 14px; flex: 1; }
.pagertree-modal__field > label { display: block; font-weight: 600; margin-bottom: 4px; }
.pagertree-modal__field--bad .form-control { border-color: var(--error-text, #d24b4e); }
.pagertree-modal__hint { display: block; text-align: right; font-size: 12px; opacity: .6; margin-top: 2px; }
.pagertree-modal__pair { display: flex; gap: 16px; }
.pagertree-modal textarea { font-family: inherit; resize: vertical; }
.pagertree-modal__buttons { display: flex; justify-content: flex-end; gap: 8px; margin-top: 16px; }
`;

export function injectStyles(doc: Document = document): void {
    if (doc.getElementById('pagertree-styles')) {
        return;
    }
    const style = doc.createElement('style');
    style.id = 'pagertree-styles';
    style.textContent = CSS;
    doc.head.appendChild(style);
}
