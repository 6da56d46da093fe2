// Preloaded into a measured child (`node --import ./rss.mjs ...`): writes the
// process's peak resident set size in KiB to $RSS_FILE when it exits.
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  if (process.env.RSS_FILE) writeFileSync(process.env.RSS_FILE, String(process.resourceUsage().maxRSS));
});
