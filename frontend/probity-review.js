// Keyboard shortcuts of the review screen. A key press clicks the button whose data-shortcut
// attribute equals the key, unless the focus is in a text field (so the note can be typed) or a
// modifier key is held.
(function () {
  function inTextField(event) {
    return event.composedPath().some((node) => node instanceof HTMLElement
        && (node.tagName === 'INPUT' || node.tagName === 'TEXTAREA' || node.isContentEditable));
  }

  function onKeyDown(event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.repeat || event.key.length !== 1
        || inTextField(event)) {
      return;
    }
    const button = document.querySelector('[data-shortcut="' + CSS.escape(event.key.toLowerCase()) + '"]');
    if (button && !button.hasAttribute('disabled')) {
      event.preventDefault();
      button.click();
    }
  }

  let installed = false;
  window.probityReview = {
    install() {
      if (!installed) {
        document.addEventListener('keydown', onKeyDown);
        installed = true;
      }
    },
  };
})();
