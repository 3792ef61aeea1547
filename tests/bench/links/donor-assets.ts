// The donor sites' shared stylesheet and scripts, served at /assets/ by every donor host.
import { TARGET_URL } from './donor-pages.ts';

export const SITE_CSS = `/* donor theme */
*{box-sizing:border-box}body{margin:0;font:16px/1.6 Georgia,serif;color:#222;background:#fff}
.site-header{display:flex;align-items:center;gap:2rem;padding:1rem 2rem;border-bottom:1px solid #ddd}
.site-header nav ul{display:flex;gap:1rem;list-style:none;margin:0;padding:0}
.layout{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,1fr);gap:2rem;max-width:1200px;margin:0 auto;padding:2rem}
.entry h1{font-size:2.2rem;line-height:1.2}.entry img{max-width:100%;height:auto}
.comments ol{list-style:none;padding:0}.comment{border-top:1px solid #eee;padding:1rem 0}
.sidebar h2{font-size:1.1rem;text-transform:uppercase;letter-spacing:.05em}.tags a{margin-right:.5rem}
.site-footer{padding:2rem;background:#222;color:#ccc}.site-footer a{color:#fff}
@media (max-width:800px){.layout{grid-template-columns:1fr}.site-header nav{display:none}}
`;

export const SITE_JS = `// donor site script: sticky header and a reading-progress bar
(function () {
  var header = document.querySelector('.site-header');
  var bar = document.createElement('div');
  bar.style.cssText = 'position:fixed;top:0;left:0;height:3px;background:#c33;width:0';
  document.body.appendChild(bar);
  function onScroll() {
    var max = document.documentElement.scrollHeight - innerHeight;
    bar.style.width = (max > 0 ? (100 * scrollY) / max : 0) + '%';
    if (header) header.classList.toggle('stuck', scrollY > 80);
  }
  addEventListener('scroll', onScroll, { passive: true });
  onScroll();
})();
`;

/** The partner widget of the external-script variant: fills its slot with the link. */
export const PARTNER_JS = `(function () {
  var slot = document.getElementById('partner-slot');
  if (!slot) return;
  var a = document.createElement('a');
  a.href = '${TARGET_URL}';
  a.textContent = slot.getAttribute('data-anchor') || 'studio';
  slot.appendChild(a);
})();
`;
