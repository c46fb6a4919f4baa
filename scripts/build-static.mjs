// Copies the front-end packages' built files into yigang/static/vendor, where Django serves them.
import { copyFileSync, mkdirSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "yigang", "static", "vendor");
const files = {
  "htmx.min.js": "node_modules/htmx.org/dist/htmx.min.js",
  "echarts.min.js": "node_modules/echarts/dist/echarts.min.js",
  "pico.min.css": "node_modules/@picocss/pico/css/pico.min.css",
};
mkdirSync(out, { recursive: true });
for (const [name, from] of Object.entries(files)) {
  const src = join(root, from);
  if (!existsSync(src)) {
    console.error(`missing ${from}: run npm ci first`);
    process.exit(1);
  }
  copyFileSync(src, join(out, name));
  console.log(`static/vendor/${name} <- ${from}`);
}
