// Draws media/icon.png (128×128): a cloud with an arrow moving into it. Deterministic, no image tools.
import fs from 'node:fs';
import zlib from 'node:zlib';

const S = 128;
const px = Buffer.alloc(S * S * 4);
const inCircle = (x, y, cx, cy, r) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
for (let y = 0; y < S; y++) {
  for (let x = 0; x < S; x++) {
    const i = (y * S + x) * 4;
    // Rounded square background, blue to teal.
    const r = 22;
    const cx = Math.min(Math.max(x, r), S - 1 - r);
    const cy = Math.min(Math.max(y, r), S - 1 - r);
    if ((x - cx) ** 2 + (y - cy) ** 2 > r * r) continue;
    const t = y / S;
    let [R, G, B] = [Math.round(20 + 10 * t), Math.round(90 + 60 * t), Math.round(200 - 40 * t)];
    // Cloud: three circles and a base.
    const cloud = inCircle(x, y, 50, 62, 20) || inCircle(x, y, 74, 54, 25) || inCircle(x, y, 94, 68, 15) || (y >= 62 && y <= 83 && x >= 42 && x <= 100);
    if (cloud && y <= 83) [R, G, B] = [255, 255, 255];
    // Arrow from bottom-left into the cloud.
    const d = (x - y + 10) / Math.SQRT2; // distance from the diagonal line y = x + 10
    const along = (x + y) / Math.SQRT2;
    const shaft = Math.abs(d) < 5 && along > 60 && along < 105 && y > 70;
    const headX = x - 58, headY = y - 74;
    const head = headX <= 0 && headY >= 0 && -headX + headY <= 26 && y > 70;
    if ((shaft || head) && !(cloud && y <= 83 && !head)) [R, G, B] = [255, 196, 0];
    px[i] = R; px[i + 1] = G; px[i + 2] = B; px[i + 3] = 255;
  }
}
const raw = Buffer.alloc(S * (S * 4 + 1));
for (let y = 0; y < S; y++) px.copy(raw, y * (S * 4 + 1) + 1, y * S * 4, (y + 1) * S * 4);
const crcTable = Array.from({ length: 256 }, (_, n) => { let c = n; for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1; return c >>> 0; });
const crc = (b) => { let c = 0xffffffff; for (const x of b) c = crcTable[(c ^ x) & 0xff] ^ (c >>> 8); return (c ^ 0xffffffff) >>> 0; };
const chunk = (type, data) => { const len = Buffer.alloc(4); len.writeUInt32BE(data.length); const td = Buffer.concat([Buffer.from(type), data]); const c = Buffer.alloc(4); c.writeUInt32BE(crc(td)); return Buffer.concat([len, td, c]); };
const ihdr = Buffer.alloc(13); ihdr.writeUInt32BE(S, 0); ihdr.writeUInt32BE(S, 4); ihdr[8] = 8; ihdr[9] = 6;
fs.writeFileSync('media/icon.png', Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]));
