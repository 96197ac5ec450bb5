// The bench page: runs the suite on this browser's WebGPU adapter and reports each result on the page and on its console.
import { loadImplementations } from './implementations';
import { parseBenchOptions } from './options';
import { type PageMessage, pageLine } from './page-protocol';
import { progressLine } from './report';
import { runSuite } from './suite';
import { openBrowserGpu } from '../gpu/browser';

const log = document.getElementById('log')!;
const say = (message: PageMessage, text: string) => {
  console.log(pageLine(message));
  log.textContent += `\n${text}`;
};

try {
  const query = new URLSearchParams(location.search);
  const options = parseBenchOptions((name, fallback) => query.get(name) ?? fallback);
  const gpu = await openBrowserGpu();
  const impls = await loadImplementations(gpu, options.peers);
  await runSuite(gpu, impls, options, { mode: 'browser', host: navigator.userAgent }, (result) => say({ kind: 'result', result }, progressLine(result)));
  say({ kind: 'done' }, 'done');
} catch (error) {
  say({ kind: 'error', message: error instanceof Error ? error.message : String(error) }, `error: ${String(error)}`);
}
