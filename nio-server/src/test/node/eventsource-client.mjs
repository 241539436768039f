// Subscribes to one SSE URL with npm `eventsource@4` (WHATWG EventSource for Node) and reports, one JSON
// object per line on stdout, everything the client sees:
//   {"kind":"connect","lastEventId":null|"..."}   each HTTP request the client makes (first one and every reconnect)
//   {"kind":"open"}                                 the connection was established (200 + text/event-stream)
//   {"kind":"event","id":"...","type":"...","data":"..."}   one dispatched event, in arrival order
//   {"kind":"error","code":N|null,"message":"...","readyState":N}   the connection failed or dropped
//   {"kind":"closed"}                               printed last, before exiting
// Usage: node eventsource-client.mjs URL [--event NAME]... [--timeout-ms MS]
// Named events are only dispatched to listeners for their name, so each expected name is passed with --event.
// The client exits when stdin closes (the driving test ends it that way), or after --timeout-ms.
import { EventSource } from 'eventsource';

const args = process.argv.slice(2);
const url = args.shift();
if (!url) {
    process.stderr.write('usage: node eventsource-client.mjs URL [--event NAME]... [--timeout-ms MS]\n');
    process.exit(2);
}
const eventNames = new Set(['message']);
let timeoutMs = 30000;
for (let i = 0; i < args.length; i++) {
    if (args[i] === '--event') {
        eventNames.add(args[++i]);
    } else if (args[i] === '--timeout-ms') {
        timeoutMs = Number(args[++i]);
    } else {
        process.stderr.write(`unknown argument ${args[i]}\n`);
        process.exit(2);
    }
}

const emit = (obj) => process.stdout.write(JSON.stringify(obj) + '\n');

const recordingFetch = (input, init) => {
    const headers = new Headers(init && init.headers);
    emit({ kind: 'connect', lastEventId: headers.get('last-event-id') });
    return fetch(input, init);
};

const es = new EventSource(url, { fetch: recordingFetch });
es.addEventListener('open', () => emit({ kind: 'open' }));
es.addEventListener('error', (e) => emit({
    kind: 'error', code: e.code ?? null, message: e.message ?? null, readyState: es.readyState }));
for (const name of eventNames) {
    es.addEventListener(name, (e) => emit({ kind: 'event', id: e.lastEventId, type: e.type, data: e.data }));
}

let finished = false;
const finish = (exitCode) => {
    if (finished) {
        return;
    }
    finished = true;
    es.close();
    emit({ kind: 'closed' });
    process.stdout.write('', () => process.exit(exitCode));
};
const timer = setTimeout(() => {
    process.stderr.write(`eventsource-client: timed out after ${timeoutMs} ms\n`);
    finish(3);
}, timeoutMs);
timer.unref();
process.stdin.on('end', () => finish(0));
process.stdin.on('close', () => finish(0));
process.stdin.resume();
