/**
 * `meshdbg` (TUI), lazy-imported by the CLI dispatcher. Owns the process lifecycle of the
 * TUI: refuses without a terminal, renders, and always leaves the terminal usable
 * (raw mode off, cursor shown) on quit, crash and signals.
 */
import { fileErrorText } from '../util/file-error-text.js';
import { SIGNAL_EXIT_CODES } from './signal-exit.js';
import { handleOutputErrors } from './crash.js';
import { writeFile } from 'node:fs/promises';
import { readLogLines } from '../sources/log-files/read-log-lines.js';
import { useEffect, type ReactElement } from 'react';
import { render } from 'ink';
import type { Snapshot } from '../model/snapshot.js';
import { App } from '../ui/app.js';
import { osc52, type UiIo } from '../ui/io.js';
import { buildUiData } from '../ui/data/ui-data.js';
import type { UiData } from '../ui/state/app-state.js';
import { REAL_ENGINE } from '../ui/data/real-engine.js';
import type { LogFeed } from '../ui/feeds/log-feed.js';
import { EMPTY_FEED } from '../ui/feeds/log-feed.js';
import { createRecordedFeed, type RecordedLog } from '../ui/feeds/recorded-feed.js';
import { createClusterFeed, type SnapshotStream } from '../ui/feeds/cluster-feed.js';
import { DEFAULT_LOG_LEVEL_TTL_MS } from '../ui/data/ui-data.js';
import type { KubeContext } from '../sources/kube/kubeconfig.js';
import type { ConnectionFlags } from '../sources/kube/connection-flags.js';
import type { LogLevelManager } from '../sources/log-level/manager.js';
import type { PodRef, ProxyControl } from '../sources/envoy-admin/proxy-control.js';
import { ZTUNNEL_ADMIN_PORT, ztunnelIn } from '../sources/envoy-admin/ztunnel-log-control.js';
import type { LiveAuthzCheck } from '../ui/data/engine-port.js';
import { istioctlOnPath } from '../sources/istioctl.js';
import { inputError, MeshdbgError } from '../util/errors.js';
import { colorsFromEnv } from '../ui/theme.js';
import { parseCommandLine, oneNamespace, type Options } from './options.js';
import { assertLoadable, loadSnapshotFrom, meshOverrides, snapshotFromObjects } from './load-snapshot.js';
import type { MeshOverrides } from './load-snapshot.js';
import type { LiveSource } from '../sources/kube/live-source.js';
import { offerRestore } from './offer-restore.js';
import { liveLoadFindings, livePartialView, manifestsLabel, withPartialView } from './tui-partial-view.js';
import type { Explanation } from '../engine/index.js';
import { holdStopSignals, restoreBoundMs, restoreOnQuit } from './restore-on-quit.js';
import { lintFindings } from './lint.js';
import { withLoadingScreen, type ScreenControl } from '../ui/loading.js';
import type { Finding } from '../model/findings.js';

export interface TuiOptions {
  readonly snapshot: Snapshot;
  readonly feed: LogFeed;
  /** shown in the header: `demo poc-mesh`, `manifests: ./dir`, a kube context */
  readonly sourceLabel: string;
  readonly readonly: boolean;
  readonly namespace: string | null;
  /** live sources: whether istioctl answered `istioctl version` (else the header shows the PATH probe) */
  readonly istioctlFound?: boolean;
  /** how long a raised log level lasts (default 10 minutes) */
  readonly logLevelTtlMs?: number;
  /** live sources: the running proxies' authz-check table for the pod detail */
  readonly liveAuthzCheck?: LiveAuthzCheck;
  /** live sources: calls back with each rebuilt Snapshot (and a header label); returns unsubscribe */
  /** what loading reported (file-level findings besides the Snapshot's); `:lint` lists them with the lint checks */
  readonly loadFindings?: readonly Finding[];
  readonly snapshotUpdates?: (onSnapshot: (snapshot: Snapshot, sourceLabel: string) => void) => () => void;
  /** a live view with gaps, or a snapshot with status.gaps: explanations a gap could change become conditional */
  readonly partialView?: (e: Explanation) => Explanation;
  /** live sources: the load findings `:lint` lists for each Snapshot (admitted objects' errors are warnings) */
  readonly loadFindingsOf?: (snapshot: Snapshot) => readonly Finding[];
}

export const NOT_A_TERMINAL =
  'meshdbg: the TUI needs a terminal (stdin and stdout must be a TTY)\n  hint: for scripts use `meshdbg --explain SRC DST --from PATH`, `meshdbg denials` or `meshdbg check FILE`\n';

/** The one line `meshdbg` prints when no cluster can be read. */
export function noClusterLine(reason: string): string {
  return `meshdbg: no cluster reachable (${reason}); try \`meshdbg demo\` for the bundled example, or \`meshdbg --from PATH\`\n`;
}

/** The alternate screen (xterm `?1049`): quitting leaves the shell's screen as it was, as k9s and less do. */
const ENTER_ALTERNATE_SCREEN = '\u001b[?1049h';
const LEAVE_ALTERNATE_SCREEN = '\u001b[?1049l';
let onAlternateScreen = false;
let restoresOnExit = false;

/** The terminal is put back when the process exits, however it ends (registered once). */
function restoreTerminalOnExit(): void {
  if (restoresOnExit) return;
  restoresOnExit = true;
  process.once('exit', restoreTerminal);
}

function enterAlternateScreen(): void {
  if (!process.stdout.isTTY || onAlternateScreen) return;
  process.stdout.write(ENTER_ALTERNATE_SCREEN);
  onAlternateScreen = true;
}

/** The loading screen's way in and out of the alternate screen the TUI then keeps. */
const SCREEN: ScreenControl = {
  enter: enterAlternateScreen,
  leave: () => restoreTerminal(),
  exit: (signal) => process.exit(SIGNAL_EXIT_CODES[signal]),
};

/** Puts the terminal back: raw mode off, cursor visible. Safe to call more than once. */
export function restoreTerminal(): void {
  if (onAlternateScreen) {
    onAlternateScreen = false;
    process.stdout.write(LEAVE_ALTERNATE_SCREEN);
  }
  if (process.stdin.isTTY) {
    try {
      process.stdin.setRawMode(false);
    } catch {
      // stdin already closed: nothing left to restore
    }
  }
  if (process.stdout.isTTY) process.stdout.write('\u001b[?25h');
}

/** `:w FILE` writes where the user said (relative to the working directory); `c` sends OSC 52. */
const TUI_IO: UiIo = {
  writeFile: (path, text) => writeFile(path, text, 'utf8'),
  copy: (text) => {
    process.stdout.write(osc52(text));
  },
};

/** MESHDBG_TEST_CRASH=tui: an uncaught exception once the TUI is up, so tests can prove the terminal is restored. */
function CrashWhileRunning(): null {
  useEffect(() => {
    const timer = setTimeout(() => {
      throw new Error('crash requested by MESHDBG_TEST_CRASH=tui');
    }, 300);
    return () => clearTimeout(timer);
  }, []);
  return null;
}

export async function runTui(options: TuiOptions): Promise<number> {
  if (!process.stdout.isTTY || !process.stdin.isTTY) {
    process.stderr.write(NOT_A_TERMINAL);
    return 2;
  }
  const istioctl = options.istioctlFound ?? istioctlOnPath();
  const dataFor = (snapshot: Snapshot, sourceLabel: string): UiData =>
    buildUiData(snapshot, {
      engine: options.partialView ? withPartialView(REAL_ENGINE, options.partialView) : REAL_ENGINE,
      sourceLabel,
      readonly: options.readonly,
      availability: { istioctl, cni: snapshot.detectedCni },
      canSetLogLevel: options.feed.canSetLogLevel,
      liveAuthzCheck: options.liveAuthzCheck ?? null,
      findings: lintFindings(
        snapshot,
        options.loadFindingsOf?.(snapshot) ??
          (snapshot === options.snapshot ? (options.loadFindings ?? snapshot.findings) : snapshot.findings),
      ),
      ...(options.logLevelTtlMs === undefined ? {} : { logLevelTtlMs: options.logLevelTtlMs }),
    });
  restoreTerminalOnExit();
  // a crash message must reach the shell's screen: leave the alternate screen before it is printed
  process.prependListener('uncaughtException', restoreTerminal);
  process.prependListener('unhandledRejection', restoreTerminal);
  enterAlternateScreen();
  const crash = process.env['MESHDBG_TEST_CRASH'] === 'tui' ? <CrashWhileRunning /> : null;
  const tree = (data: UiData): ReactElement => (
    <>
      <App
        data={data}
        feed={options.feed}
        colors={colorsFromEnv(process.env)}
        initialNamespace={options.namespace}
        io={TUI_IO}
      />
      {crash}
    </>
  );
  const instance = render(tree(dataFor(options.snapshot, options.sourceLabel)), {
    exitOnCtrlC: false,
    patchConsole: true,
  });
  const stopUpdates = options.snapshotUpdates?.((snapshot, label) => instance.rerender(tree(dataFor(snapshot, label))));
  // a signal ends the TUI with the shell's code (128 + signal number); a hangup (SIGHUP, or
  // EIO writing to a terminal that went away) ends it quietly: the caller still restores levels
  let exitCode = 0;
  const handlers = (['SIGINT', 'SIGTERM', 'SIGHUP'] as const).map((signal) => {
    const handler = (): void => {
      exitCode = SIGNAL_EXIT_CODES[signal];
      instance.unmount();
    };
    process.once(signal, handler);
    return [signal, handler] as const;
  });
  // a write error (EIO from a hung-up terminal, a closed stream) ends the TUI like a hangup; it
  // stays the handler to the end, so the restore that follows is not cut short by one
  handleOutputErrors(() => {
    exitCode = SIGNAL_EXIT_CODES.SIGHUP;
    instance.unmount();
  });
  try {
    await instance.waitUntilExit();
  } finally {
    stopUpdates?.();
    for (const [signal, handler] of handlers) process.off(signal, handler);
    // after a real hangup this write fails with EIO: the output error handler swallows it
    restoreTerminal();
  }
  return exitCode;
}

export { SIGNAL_EXIT_CODES };

/**
 * `meshdbg` alone: the kube context's objects, listed then watched; the TUI follows every
 * change (log follow arrives with the live-cluster work). Failing to read the cluster is one
 * line and exit 3.
 */
async function runTuiOnCluster(values: Options): Promise<number> {
  // the Kubernetes client is loaded only when a cluster is asked for (it is the heaviest dependency)
  const { openLiveSource } = await import('../sources/kube/open-cluster.js');
  const { toConnectionFlags } = await import('../sources/kube/connection-flags.js');
  const flags = toConnectionFlags(values);
  const overrides = meshOverrides(values);
  let opened: Awaited<ReturnType<typeof openLiveSource>>;
  restoreTerminalOnExit();
  try {
    opened = await withLoadingScreen(`cluster${flags.context ? ` ${flags.context}` : ''}`, SCREEN, (onProgress) =>
      openLiveSource({ flags, rootNamespace: overrides.rootNamespace, watch: true, onProgress }),
    );
  } catch (err) {
    const reason = err instanceof MeshdbgError ? err.userMessage : err instanceof Error ? err.message : String(err);
    process.stderr.write(noClusterLine(reason.split('\n')[0] ?? reason));
    return 3;
  }
  const { source, context } = opened;
  try {
    return await runTuiOnSource(values, source, context, flags, overrides);
  } finally {
    source.stop();
  }
}

async function runTuiOnSource(
  values: Options,
  source: LiveSource,
  context: KubeContext,
  flags: ConnectionFlags,
  overrides: MeshOverrides,
): Promise<number> {
  const { createLiveView, describeLiveStatus } = await import('../sources/kube/live-view.js');
  const view = createLiveView(source, (objects) =>
    snapshotFromObjects(objects, oneNamespace(values), context.contextName, 'cluster', overrides),
  );
  const { chooseProxyControl } = await import('../sources/envoy-admin/choose.js');
  const { control, istioctl } = await chooseProxyControl({
    context,
    kubeconfigFlag: flags.kubeconfig,
    timeoutMs: flags.requestTimeoutMs,
  });
  const levels =
    values.readonly === true
      ? null
      : await logLevelManager(
          context,
          flags,
          control,
          ztunnelIn(() => view.current()),
        );
  const feed = await clusterFeed(
    context,
    flags,
    { current: () => view.current(), subscribe: (cb) => view.subscribe((s) => cb(s)) },
    levels,
  );
  const { readZtunnelView } = await import('../sources/envoy-admin/ztunnel-view.js');
  const { portForwardRequester } = await import('../sources/envoy-admin/native-proxy-control.js');
  const ztunnelAdmin = portForwardRequester(context.kc, ZTUNNEL_ADMIN_PORT);
  const liveAuthzCheck: LiveAuthzCheck = {
    via: control.via === 'istioctl' ? 'istioctl' : 'Envoy admin',
    read: async (pod, signal) => {
      const table = await control.authzCheck({ namespace: pod.namespace, name: pod.name }, signal);
      return { rows: table.rows, issues: table.issues.map((i) => `line ${i.line}: ${i.message}`) };
    },
    readAmbient: (pod, signal) =>
      readZtunnelView(ztunnelAdmin, view.current(), pod, { timeoutMs: flags.requestTimeoutMs, signal }),
  };
  const label = (): string => {
    const status = describeLiveStatus(view.status());
    return `context ${context.contextName}${status ? ` (${status})` : ''}`;
  };
  let exitCode = 1;
  const releaseSignals = holdStopSignals();
  try {
    exitCode = await runTui({
      snapshot: view.current(),
      feed,
      liveAuthzCheck,
      istioctlFound: istioctl.available,
      sourceLabel: label(),
      partialView: (e) =>
        livePartialView(
          e,
          view.status(),
          view.current(),
          overrides.rootNamespace ?? view.current().istio.mesh.rootNamespace,
        ),
      loadFindingsOf: liveLoadFindings,
      readonly: values.readonly === true,
      namespace: oneNamespace(values),
      snapshotUpdates: (onSnapshot) => view.subscribe((snapshot) => onSnapshot(snapshot, label())),
    });
    return exitCode;
  } finally {
    try {
      await restoreOnQuit(levels, writeQuietly, restoreBoundMs(exitCode));
    } finally {
      releaseSignals();
      view.dispose();
    }
  }
}

/** stderr may be a terminal that hung up: a failed write is not an error worth a crash. */
function writeQuietly(text: string): void {
  try {
    process.stderr.write(text);
  } catch {
    // the terminal is gone
  }
}

const FOLLOWED_PODS = 50;

/** Proxy log levels on the cluster: istioctl when on PATH, else Envoy admin through a port-forward; leftovers of a crashed run restored first. */
async function logLevelManager(
  context: KubeContext,
  flags: ConnectionFlags,
  sidecars: ProxyControl,
  isZtunnel: (pod: PodRef) => boolean,
): Promise<LogLevelManager> {
  const { LogLevelManager } = await import('../sources/log-level/manager.js');
  const { createZtunnelLogControl, routeLogLevels, ZTUNNEL_ADMIN_PORT } =
    await import('../sources/envoy-admin/ztunnel-log-control.js');
  const { portForwardRequester } = await import('../sources/envoy-admin/native-proxy-control.js');
  const ztunnel = createZtunnelLogControl(portForwardRequester(context.kc, ZTUNNEL_ADMIN_PORT), {
    timeoutMs: flags.requestTimeoutMs,
  });
  const control = routeLogLevels(sidecars, ztunnel, isZtunnel);
  const { defaultJournal } = await import('../sources/log-level/journal.js');
  const { kubeProxyIdentity } = await import('../sources/kube/proxy-identity.js');
  const { createKubeHttp } = await import('../sources/kube/http.js');
  const proxyIdentity = kubeProxyIdentity(createKubeHttp(context.kc, flags.requestTimeoutMs));
  const manager = new LogLevelManager({
    control,
    journal: defaultJournal(),
    proxyIdentity,
    context: context.contextName,
    ttlMs: DEFAULT_LOG_LEVEL_TTL_MS,
    readonly: false,
  });
  // a corrupt or unreadable journal is a MeshdbgError (exit 3) naming the file
  const found = manager.leftovers();
  if (found.length > 0 && (await offerRestore(found.map((e) => `${e.pod}.${e.namespace}`)))) {
    const leftovers = await manager.restoreLeftovers();
    for (const error of leftovers.errors)
      process.stderr.write(`meshdbg: restoring a log level left by an earlier run: ${error}\n`);
  }
  return manager;
}

/** istio-proxy logs of the cluster's sidecar pods, followed and correlated. */
async function clusterFeed(
  context: KubeContext,
  flags: ConnectionFlags,
  snapshots: SnapshotStream,
  levels: LogLevelManager | null,
): Promise<LogFeed> {
  const { createKubeHttp } = await import('../sources/kube/http.js');
  const { followPods } = await import('../sources/kube/follow-pods.js');
  const { realClock } = await import('../sources/kube/live-source.js');
  const http = createKubeHttp(context.kc, flags.requestTimeoutMs);
  return createClusterFeed({
    snapshots,
    hasSidecar: REAL_ENGINE.hasSidecar,
    follow: (targets, signal) =>
      followPods({ http, targets, signal, clock: realClock, maxQueued: 5000, tailLines: 200 }),
    levels,
    clock: Date.now,
    maxPods: FOLLOWED_PODS,
  });
}

async function readRecordedLog(path: string): Promise<RecordedLog> {
  try {
    // streamed, each line cut at the parser's cap: a huge line or file costs bounded memory
    return { name: path, lines: (await readLogLines(path)).lines };
  } catch (err) {
    if (err instanceof MeshdbgError) throw err; // gzip that does not decompress
    throw inputError(
      'unreadable-logs',
      `cannot read --logs ${path}: ${fileErrorText(err)}`,
      'give a log file (kubectl logs POD -c istio-proxy > POD.istio-proxy.log)',
    );
  }
}

/** `meshdbg [--from PATH]... [--logs FILE]... [-n NS] [--readonly]`: the TUI on manifests (and recorded logs), or the cluster. */
export async function runTuiCommand(argv: readonly string[]): Promise<number> {
  const { values } = parseCommandLine(argv);
  if (!process.stdout.isTTY || !process.stdin.isTTY) {
    process.stderr.write(NOT_A_TERMINAL);
    return 2;
  }
  try {
    return await runTuiOn(values);
  } catch (err) {
    // an error between the loading screen and the TUI (a corrupt log-level journal, invalid
    // manifests, an unreadable recorded log) is printed by the caller: on the shell's screen, not
    // on the alternate screen that leaving would wipe
    restoreTerminal();
    throw err;
  }
}

async function runTuiOn(values: Options): Promise<number> {
  const from = values.from ?? [];
  if (from.length === 0) return runTuiOnCluster(values);
  restoreTerminalOnExit();
  const loaded = await withLoadingScreen(`manifests: ${from.join(', ')}`, SCREEN, (onProgress) =>
    loadSnapshotFrom(from, oneNamespace(values), meshOverrides(values), { onProgress }),
  );
  assertLoadable(loaded.findings);
  const logs = await Promise.all((values.logs ?? []).map(readRecordedLog));
  return runTui({
    snapshot: loaded.snapshot,
    feed: logs.length > 0 ? createRecordedFeed(loaded.snapshot, logs, Date.now) : EMPTY_FEED,
    sourceLabel: manifestsLabel(from, loaded.gaps),
    partialView: loaded.partialView,
    loadFindings: loaded.findings,
    readonly: values.readonly === true,
    namespace: oneNamespace(values),
  });
}
