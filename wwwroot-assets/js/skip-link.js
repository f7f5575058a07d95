// Blazor's router takes a same-page "#main" link as a navigation and only scrolls; a skip link must also move the
// keyboard focus into the content (WCAG 2.4.1), on static and interactive pages alike.
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
