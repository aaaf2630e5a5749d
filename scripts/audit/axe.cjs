#!/usr/bin/env node
// axe-core on several pages in one headless Chromium (puppeteer-core), for `make audit`.
// argv: OUT.json USER_DATA_DIR VIEWPORTS(JSON list of [name, width, height]) URLS(JSON object
// name -> url) CHROME_FLAGS... ; writes {page: {viewport: {status, violations: [...]}}}.
'use strict';
const fs = require('fs');
const puppeteer = require('puppeteer-core');
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

(async () => {
  const [outJson, userDataDir, viewportsJson, urlsJson, ...flags] = process.argv.slice(2);
  const viewports = JSON.parse(viewportsJson);
  const urls = JSON.parse(urlsJson);
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
    headless: true,
    userDataDir,
    args: flags,
    timeout: 30000,
    protocolTimeout: 90000,
  });
  const results = {};
  let code = 0;
  try {
    for (const [name, url] of Object.entries(urls)) {
      results[name] = {};
      for (const [label, width, height] of viewports) {
        const isMobile = width < 768;
        const page = await browser.newPage();
        try {
          await page.setViewport({width, height, isMobile, hasTouch: isMobile, deviceScaleFactor: 1});
          // A strict Content-Security-Policy must not keep axe out.
          await page.setBypassCSP(true);
          const response = await page.goto(url, {waitUntil: ['load', 'networkidle2'], timeout: 45000});
          await page.evaluate(axeSource);
          const r = await page.evaluate(() => window.axe.run(document, {resultTypes: ['violations']}));
          results[name][label] = {
            status: response ? response.status() : null,
            engine: r.testEngine.version,
            violations: r.violations.map(v => ({
              id: v.id,
              impact: v.impact,
              help: v.help,
              nodes: v.nodes.length,
              targets: v.nodes.slice(0, 3).map(n => [].concat(n.target).join(' ')),
            })),
          };
        } catch (e) {
          results[name][label] = {error: String(e && e.message || e)};
          code = 2;
        } finally {
          await page.close().catch(() => {});
        }
      }
    }
  } finally {
    await browser.close().catch(() => {});
  }
  fs.writeFileSync(outJson, JSON.stringify(results, null, 1));
  process.exit(code);
})().catch(e => {
  console.error(`axe: ${e && e.message || e}`);
  process.exit(2);
});
