// Tidlig's page script. Loaded with `defer` from base.html; there is no inline
// JavaScript anywhere, because the Content-Security-Policy forbids it.
"use strict";

// Lets tidlig.css tell a page with JavaScript from one without (no-JS fallbacks).
document.documentElement.classList.add("js");

// Wire up the design system's components (mobile menu, accordions, error summary…).
// Called once per page load only: DKFDS.init() always re-initialises the header
// navigation, whatever scope it is given, so it is not safe to repeat after htmx swaps.
window.DKFDS.init();
