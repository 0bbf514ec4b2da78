/** The console's single page: styles, the uPlot stylesheet and the main script; everything else is drawn by main.js. */
export function shellHtml(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Tillbridge console</title>
<link rel="stylesheet" href="/console/vendor/uPlot.min.css">
<link rel="stylesheet" href="/console/assets/console.css">
<script type="module" src="/console/assets/main.js"></script>
</head>
<body>
<div id="app"><p class="loading">Loading the Tillbridge console…</p></div>
<noscript>The Tillbridge console needs JavaScript.</noscript>
</body>
</html>
`;
}
