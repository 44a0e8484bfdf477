/**
 * The Console's one HTML page: landmarks and the empty regions `app.js` fills. No inline script
 * or style, so the Content-Security-Policy can forbid both.
 */
export const page = (version: string): string => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>Switchboard Console</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/console/${version}/app.css">
<script type="module" src="/console/${version}/main.js"></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
<p class="brand">Switchboard</p>
<nav id="nav" aria-label="Console sections"></nav>
<div id="account"></div>
</header>
<div id="status" class="status" role="status" aria-live="polite"></div>
<main id="main" tabindex="-1">
<div id="app"><noscript><p>The Console needs JavaScript. The management API works without it: see the README.</p></noscript></div>
</main>
<footer>Switchboard Console: the same management API as everyone else, with this tenant's API key.</footer>
</body>
</html>
`
