/* fer-book.js: loaded with `defer`, so it runs once the page is parsed and before the themes
 * bind their sidebar buttons (pydata-sphinx-theme's deferred script, sphinx-book-theme's
 * DOMContentLoaded handler). Both themes take the first `.primary-toggle` / `.secondary-toggle`
 * of the page; copies of those buttons in the (hidden) PyData header bar would catch the handlers
 * and leave the visible buttons of the article header dead. Remove any such hidden copy. */
(function () {
  "use strict";
  document.querySelectorAll(".bd-header .sidebar-toggle").forEach(function (button) {
    var article = document.querySelector(".bd-header-article ." +
      (button.classList.contains("primary-toggle") ? "primary-toggle" : "secondary-toggle"));
    if (article) {
      button.remove();
    }
  });
})();
