// Keyboard help for the whole site, on static and interactive pages alike.

// Blazor's router takes a same-page "#main" link as a navigation and only scrolls; a skip link must also move the
// keyboard focus into the content (WCAG 2.4.1).
document.addEventListener('click', event => {
    const link = event.target instanceof Element ? event.target.closest('a.skip-link') : null;
    const main = document.getElementById('main');
    if (!link || !main) {
        return;
    }

    event.preventDefault();
    event.stopPropagation();
    main.focus();
    main.scrollIntoView();
}, true);

// A dialog's safe answer is marked data-autofocus: it has the focus while the dialog is open, until the person moves
// it to another control in the dialog. MudBlazor renders dialog content after the component and may then put focus on
// a container of its own, so this watches rather than focusing once.
const focusSafeAnswer = () => {
    const target = document.querySelector('.mud-dialog [data-autofocus]');
    if (!target) {
        return;
    }

    const active = document.activeElement;
    const dialog = target.closest('.mud-dialog');
    if (active && dialog.contains(active) && active.matches('button, input, select, textarea, a[href]')) {
        return;
    }

    target.focus();
};
new MutationObserver(focusSafeAnswer).observe(document.documentElement, { childList: true, subtree: true });
document.addEventListener('focusin', () => setTimeout(focusSafeAnswer, 0));
