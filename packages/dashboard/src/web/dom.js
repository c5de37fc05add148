// @ts-check
// DOM helpers. Data only ever reaches the page through textContent and attribute values:
// nothing here parses HTML, so post text and user fields stay inert.

/**
 * @param {string} tag
 * @param {{ class?: string, text?: unknown, attrs?: Record<string, string>, on?: Record<string, (e: Event) => void> }} [props]
 * @param {(Node | null | undefined | false)[]} [children]
 */
export function el(tag, props = {}, children = []) {
  const node = document.createElement(tag);
  if (props.class) node.className = props.class;
  if (props.text !== undefined && props.text !== null) node.textContent = String(props.text);
  for (const [k, v] of Object.entries(props.attrs ?? {})) node.setAttribute(k, v);
  for (const [k, fn] of Object.entries(props.on ?? {})) node.addEventListener(k, fn);
  for (const c of children) if (c) node.append(c);
  return node;
}

/** @param {Element} node @param {(Node | null | undefined | false)[]} children */
export function replace(node, children) {
  node.replaceChildren(...children.filter((c) => !!c));
}

const nf = new Intl.NumberFormat("en-US");
/** @param {unknown} n */
export const fmt = (n) => (n === null || n === undefined || Number.isNaN(Number(n)) ? "–" : nf.format(Number(n)));
/** @param {number} x share in [0, 1] */
export const pct = (x) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)} %` : "–");
/** @param {unknown} n */
export function compact(n) {
  const x = Number(n);
  if (n === null || n === undefined || !Number.isFinite(x)) return "–";
  return new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 }).format(x);
}
/** @param {string | null | undefined} iso */
export function when(iso) {
  if (!iso) return "–";
  const d = new Date(iso);
  return `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 16)} UTC`;
}
/** @param {string | null | undefined} iso */
export function ago(iso) {
  if (!iso) return "never";
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  if (s < 90) return `${s} s ago`;
  if (s < 5400) return `${Math.round(s / 60)} min ago`;
  if (s < 172800) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} days ago`;
}

/**
 * A headline figure; `data-key` / `data-value` carry the raw number for tests and tooling.
 * @param {string} key @param {string} label @param {string} value @param {string} [detail] @param {string} [cls] @param {unknown} [raw]
 */
export function kpi(key, label, value, detail = "", cls = "", raw = undefined) {
  const node = el("div", { class: `kpi ${cls}`.trim(), attrs: { "data-key": key } }, [
    el("div", { class: "label", text: label }),
    el("div", { class: "value", text: value }),
    detail ? el("div", { class: "detail", text: detail }) : null,
  ]);
  if (raw !== undefined && raw !== null) node.dataset.value = String(raw);
  return node;
}

/** @param {string} text */
export const empty = (text) => el("p", { class: "empty", text });
