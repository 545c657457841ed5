/**
 * The demo as a user sees it, in a real browser: `scripts/start.mjs` (what `npm start` runs) on
 * free ports with a fresh user directory, Debian's chromium driven by playwright-core. Checks the
 * editor (palette, edit dialogs) and the live page (redacted lines from both speakers, no raw card
 * number or SSN from the scripts, a rejected summary with its reason). Screenshots for humans go
 * to test/e2e/screenshots (git-ignored). Every wait is bounded and waits on the DOM, not a timer.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { repoRoot, startDemo, type DemoProcess } from './support/demo-process';
import { demoValues } from './support/flows';

// Browser globals used inside page.evaluate callbacks (the project's tsconfig has no DOM lib).
interface EditorRED {
  workspaces?: { active(): unknown };
  actions: { invoke(name: string): void };
  nodes: {
    filterNodes(filter: { type: string }): Array<{ id: string }>;
    eachConfig(cb: (n: { id: string; type: string }) => boolean | void): void;
    getType(type: string): { defaults?: Record<string, unknown> } | undefined;
    registry: { getNodeTypes(): string[] };
  };
  editor: { edit(node: unknown): void; editConfig(name: string, type: string, id: string): void };
}
declare const window: { RED?: EditorRED };
declare const document: { getElementById(id: string): { offsetParent: unknown } | null; body: { innerText: string } };

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const screenshots = join(repoRoot, 'test', 'e2e', 'screenshots');
const packTypes = Object.keys(
  (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { 'node-red': { nodes: Record<string, string> } })['node-red'].nodes,
);

interface PersonalDataItem {
  type: string;
  value: string;
}

/** Raw card numbers and SSNs of every conversation script the simulator plays. */
function scriptSecrets(): string[] {
  const dir = join(repoRoot, 'lib', 'sim', 'conversations');
  const values = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .flatMap((f) => (JSON.parse(readFileSync(join(dir, f), 'utf8')) as { personalData: PersonalDataItem[] }).personalData)
    .filter((p) => p.type === 'card' || p.type === 'ssn')
    .map((p) => p.value.replace(/\D/g, ''));
  return [...new Set(values)];
}

/** Length of a card/SSN digit sequence that must not appear in the page in any form. */
const FRAGMENT = 6;

const DIGIT_WORDS: Record<string, string> = {
  zero: '0', oh: '0', one: '1', two: '2', three: '3', four: '4', five: '5', six: '6', seven: '7', eight: '8', nine: '9',
};

/** Digits as they appear in the text, written or spoken ("four one one" -> "411"), per line. */
function digitRuns(text: string): string[] {
  return text.split('\n').map((line) =>
    line
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .map((w) => (DIGIT_WORDS[w] ?? (/^\d+$/.test(w) ? w : ' ')))
      .join('')
      .trim(),
  );
}

describe('demo in a browser (npm start + chromium)', function () {
  this.timeout(300_000);
  let demo: DemoProcess;
  let browser: BrowserContext;
  let userDataDir: string;
  let page: Page;

  before(async function () {
    mkdirSync(screenshots, { recursive: true });
    // Faster calls so the first summaries (sent after a call ends) arrive within the test's bounds.
    // The card call first: its card number and SSN are spoken within seconds, and one of its
    // Copilot summaries leaks a phone number (rejected).
    demo = await startDemo({
      env: { DEMO_SPEED: '6', DEMO_CALL_GAP_MS: '4000', DEMO_CONCURRENT_CALLS: '2', DEMO_SCRIPTS: 'card-replacement,address-change,billing-dispute' },
    });
    userDataDir = mkdtempSync(join(tmpdir(), 'genesys-chromium-'));
    // A fresh profile per run (playwright passes it as --user-data-dir).
    browser = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      viewport: { width: 1400, height: 900 },
      timeout: 60_000,
    });
    page = browser.pages()[0] ?? (await browser.newPage());
    page.setDefaultTimeout(30_000);
  });

  after(async function () {
    if (browser) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([browser.close(), new Promise((r) => (timer = setTimeout(r, 10_000)))]);
      clearTimeout(timer);
    }
    await demo?.stop();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  });

  async function openEditor(): Promise<void> {
    await page.goto(demo.editorUrl);
    await page.waitForFunction(() => {
      const loading = document.getElementById('red-ui-loading-progress');
      return Boolean(window.RED?.workspaces?.active()) && (!loading || loading.offsetParent === null);
    }, undefined, { timeout: 60_000 });
  }

  it('lists every node of the pack in the palette under "genesys"', async function () {
    await openEditor();
    const category = page.locator('#red-ui-palette-base-category-genesys');
    await category.waitFor({ state: 'attached' });
    const registered = await page.evaluate(() => window.RED!.nodes.registry.getNodeTypes());
    for (const type of packTypes) {
      assert.ok(registered.includes(type), `${type} is not registered in the editor (did it fail to load?)`);
      if (type === 'genesys-auth') continue; // config nodes have no palette entry
      await category.locator(`.red-ui-palette-node[data-palette-type="${type}"]`).waitFor({ state: 'attached', timeout: 10_000 });
    }
    // Zoomed out so the whole demo flow fits the screenshot.
    await page.evaluate(() => {
      for (let i = 0; i < 3; i++) window.RED!.actions.invoke('core:zoom-out');
    });
    await page.screenshot({ path: join(screenshots, 'editor.png') });
  });

  it('examples and the demo set exactly the properties each pack node defines in the editor', async function () {
    const defaults = await page.evaluate(
      (types) => Object.fromEntries(types.map((t) => [t, Object.keys(window.RED!.nodes.getType(t)?.defaults ?? {})])),
      packTypes,
    );
    const files = [
      ...readdirSync(join(repoRoot, 'examples')).filter((f) => f.endsWith('.json')).map((f) => join('examples', f)),
      join('demo', 'flows.json'),
    ];
    for (const file of files) {
      for (const n of JSON.parse(readFileSync(join(repoRoot, file), 'utf8')) as Array<Record<string, unknown> & { type: string }>) {
        if (!(n.type in defaults)) continue;
        const props = Object.keys(n).filter((k) => !['id', 'type', 'z', 'x', 'y', 'wires', 'g'].includes(k)).sort();
        assert.deepEqual(props, [...defaults[n.type]].sort(), `${file}: ${n.type} properties differ from its editor defaults`);
      }
    }
  });

  it('opens the genesys-auth config dialog with region and credentials fields', async function () {
    await page.evaluate(() => {
      const RED = window.RED!;
      let existing: { id: string } | undefined;
      RED.nodes.eachConfig((n) => {
        if (n.type === 'genesys-auth') existing = n;
      });
      RED.editor.editConfig('', 'genesys-auth', existing ? existing.id : '_ADD_');
    });
    for (const field of AUTH_FIELDS) await page.locator(`#node-config-input-${field}`).waitFor({ state: 'attached' });
    // The demo's config: custom URLs from the environment, the secret never sent to the editor.
    assert.equal(await page.locator('#node-config-input-region').inputValue(), 'custom');
    assert.equal(await page.locator('#node-config-input-apiBase').inputValue(), '${GENESYS_API_BASE}');
    assert.equal(await page.locator('#node-config-input-clientId').inputValue(), '${GENESYS_CLIENT_ID}');
    assert.notEqual(await page.locator('#node-config-input-clientSecret').inputValue(), demoValues.simulatorClient.secret);
    await page.screenshot({ path: join(screenshots, 'genesys-auth-dialog.png') });
    await page.locator('#node-config-dialog-cancel').click();
    await page.locator('#node-config-dialog-cancel').waitFor({ state: 'detached' });
  });

  it('opens the genesys-redactor edit dialog with its fields', async function () {
    const found = await page.evaluate(() => {
      const RED = window.RED!;
      const node = RED.nodes.filterNodes({ type: 'genesys-redactor' })[0];
      if (node) RED.editor.edit(node);
      return Boolean(node);
    });
    assert.ok(found, 'the demo flow has a genesys-redactor node');
    for (const field of REDACTOR_FIELDS) await page.locator(`#node-input-${field}`).waitFor({ state: 'attached' });
    assert.equal(await page.locator('#node-input-operator').inputValue(), 'tag');
    assert.equal(await page.locator('#node-input-spoken').isChecked(), true);
    await page.screenshot({ path: join(screenshots, 'genesys-redactor-dialog.png') });
    await page.locator('#node-dialog-cancel').click();
    await page.locator('#node-dialog-cancel').waitFor({ state: 'detached' });
  });

  it('shows redacted transcript lines from both speakers and a rejected summary with its reason, never a raw card number or SSN', async function () {
    await page.goto(demo.liveUrl!);
    await page.locator('.line.final[data-speaker="agent"]').first().waitFor({ timeout: 90_000 });
    await page.locator('.line.final[data-speaker="customer"]').first().waitFor({ timeout: 90_000 });
    // Partial captions show up while someone speaks (each is replaced by its final line).
    await page.locator('.line.partial').first().waitFor({ state: 'attached', timeout: 60_000 });
    // The card number and the SSN were spoken, and the page shows tags in their place.
    await page.locator('.line.final .tag', { hasText: '[CARD]' }).first().waitFor({ timeout: 120_000 });
    await page.locator('.line.final .tag', { hasText: '[SSN]' }).first().waitFor({ timeout: 120_000 });
    // The interceptor received the same call's audio and the page shows its QA status.
    await page.locator('.pill[data-qa="ok"], .pill[data-qa="alert"]').first().waitFor({ timeout: 60_000 });
    const rejected = page.locator('.summary.rejected');
    await rejected.first().waitFor({ timeout: 150_000 });
    const reason = (await rejected.first().locator('.reason li').first().textContent({ timeout: 5_000 })) ?? '';
    assert.ok(reason.trim().length > 5, `the rejected summary shows a reason (got "${reason}")`);

    const text = await page.evaluate(() => document.body.innerText);
    const runs = digitRuns(text);
    for (const secret of scriptSecrets()) {
      assert.ok(!text.replace(/[\s-]/g, '').includes(secret), `a raw card number or SSN (…${secret.slice(-2)}) appears in the page`);
      // Written or spoken ("four zero one two ..."), no 6-digit piece of it either.
      for (let i = 0; i + FRAGMENT <= secret.length; i++) {
        const piece = secret.slice(i, i + FRAGMENT);
        const leaked = runs.find((r) => r.includes(piece));
        assert.equal(leaked, undefined, `the page shows ${FRAGMENT} digits of a script's card number or SSN`);
      }
    }
    await page.screenshot({ path: join(screenshots, 'live-page.png'), fullPage: false });
    assert.deepEqual(demo.errorLines(), [], 'Node-RED logged errors while the demo ran');
  });
});

/** Fields of the config dialog (node-config-input-<name>), from nodes/genesys-auth/genesys-auth.html. */
const AUTH_FIELDS = ['name', 'region', 'apiBase', 'loginBase', 'clientId', 'clientSecret'];
/** Fields of the redactor dialog (node-input-<name>), from nodes/genesys-redactor/genesys-redactor.html. */
const REDACTOR_FIELDS = ['name', 'operator', 'threshold', 'spoken', 'customPatterns', 'allowList', 'denyList'];
