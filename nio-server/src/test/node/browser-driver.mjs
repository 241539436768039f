// Drives a headless Chromium (the system's /usr/bin/chromium, through npm `playwright-core`) for the JUnit
// browser tests. Line protocol, one JSON object per line:
//   stdin  (commands): {"id":N,"cmd":"goto","url":"..."}            load a page
//                      {"id":N,"cmd":"fill","selector":"...","value":"..."}
//                      {"id":N,"cmd":"select","selector":"...","value":"..."}
//                      {"id":N,"cmd":"click","selector":"..."}
//                      {"id":N,"cmd":"press","selector":"...","key":"Enter"}
//                      {"id":N,"cmd":"eval","expr":"..."}             evaluate a JS expression in the page
//                      {"id":N,"cmd":"waitFor","expr":"...","timeoutMs":MS}   until the expression is truthy
//                      {"id":N,"cmd":"screenshot","path":"...","fullPage":true}
//                      {"id":N,"cmd":"close"}
//   stdout (answers):  {"kind":"ready","browserVersion":"..."} once, then
//                      {"kind":"reply","id":N,"ok":true,"value":...} or {"kind":"reply","id":N,"ok":false,"error":"..."}
//   stdout (notices):  {"kind":"request","url":"...","method":"...","resourceType":"...","lastEventId":...}
//                      {"kind":"console","type":"...","text":"..."}, {"kind":"pageerror","message":"..."}
// Every EventSource the page creates is instrumented (window.__sseflow): each dispatched event the page
// listens to is recorded as {id, type, data} in window.__sseflow.events, in arrival order, so tests can
// compare what the browser received with what the page shows.
// Usage: node browser-driver.mjs [--executable /usr/bin/chromium] [--timeout-ms MS]
import { chromium } from 'playwright-core';
import readline from 'node:readline';

const args = process.argv.slice(2);
let executablePath = '/usr/bin/chromium';
let timeoutMs = 60000;
for (let i = 0; i < args.length; i++) {
    if (args[i] === '--executable') {
        executablePath = args[++i];
    } else if (args[i] === '--timeout-ms') {
        timeoutMs = Number(args[++i]);
    } else {
        process.stderr.write(`unknown argument ${args[i]}\n`);
        process.exit(2);
    }
}

const emit = (obj) => process.stdout.write(JSON.stringify(obj) + '\n');

const instrumentEventSource = () => {
    const Native = window.EventSource;
    const state = { events: [], opens: 0, errors: 0, instances: [] };
    window.__sseflow = state;
    class RecordingEventSource extends Native {
        constructor(url, init) {
            super(url, init);
            const recorded = new Set();
            const record = (type) => {
                if (recorded.has(type)) {
                    return;
                }
                recorded.add(type);
                super.addEventListener(type, (e) => state.events.push({ id: e.lastEventId, type: e.type, data: e.data }));
            };
            this.__record = record;
            record('message');
            super.addEventListener('open', () => state.opens++);
            super.addEventListener('error', () => state.errors++);
            state.instances.push({ url: String(url), source: this });
        }
        addEventListener(type, listener, options) {
            if (type !== 'open' && type !== 'error') {
                this.__record(type);
            }
            return super.addEventListener(type, listener, options);
        }
    }
    window.EventSource = RecordingEventSource;
};

const timer = setTimeout(() => {
    process.stderr.write(`browser-driver: timed out after ${timeoutMs} ms\n`);
    shutdown(3);
}, timeoutMs);
timer.unref();

let browser;
let shuttingDown = false;
const shutdown = async (exitCode) => {
    if (shuttingDown) {
        return;
    }
    shuttingDown = true;
    try {
        if (browser) {
            await browser.close();
        }
    } catch (e) {
        process.stderr.write(`browser-driver: close failed: ${e}\n`);
    }
    process.stdout.write('', () => process.exit(exitCode));
};

browser = await chromium.launch({
    executablePath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
        '--disable-quic', '--disable-component-update', '--disable-sync'],
});
const context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
await context.addInitScript(instrumentEventSource);
const page = await context.newPage();
page.setDefaultTimeout(15000);
page.on('request', async (request) => {
    let lastEventId = null;
    try {
        const headers = await request.allHeaders();
        lastEventId = headers['last-event-id'] ?? null;
    } catch (e) {
        lastEventId = null;
    }
    emit({ kind: 'request', url: request.url(), method: request.method(), resourceType: request.resourceType(), lastEventId });
});
page.on('console', (message) => emit({ kind: 'console', type: message.type(), text: message.text() }));
page.on('pageerror', (error) => emit({ kind: 'pageerror', message: String(error) }));

const run = async (command) => {
    switch (command.cmd) {
        case 'goto':
            return (await page.goto(command.url, { waitUntil: 'load' }))?.status() ?? null;
        case 'fill':
            return page.fill(command.selector, command.value);
        case 'select':
            return page.selectOption(command.selector, command.value);
        case 'click':
            return page.click(command.selector);
        case 'press':
            return page.press(command.selector, command.key);
        case 'eval':
            return page.evaluate(command.expr);
        case 'waitFor':
            await page.waitForFunction(command.expr, null, { timeout: command.timeoutMs ?? 10000, polling: 50 });
            return true;
        case 'screenshot':
            await page.screenshot({ path: command.path, fullPage: command.fullPage ?? true });
            return command.path;
        case 'close':
            return null;
        default:
            throw new Error(`unknown command ${command.cmd}`);
    }
};

emit({ kind: 'ready', browserVersion: browser.version() });

const lines = readline.createInterface({ input: process.stdin });
let queue = Promise.resolve();
lines.on('line', (line) => {
    if (!line.trim()) {
        return;
    }
    queue = queue.then(async () => {
        let command;
        try {
            command = JSON.parse(line);
            const value = await run(command);
            emit({ kind: 'reply', id: command.id, ok: true, value: value === undefined ? null : value });
            if (command.cmd === 'close') {
                await shutdown(0);
            }
        } catch (e) {
            emit({ kind: 'reply', id: command ? command.id : null, ok: false, error: String(e && e.message || e) });
        }
    });
});
lines.on('close', () => queue.then(() => shutdown(0)));
