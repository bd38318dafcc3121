/**
 * The TUI root: wires input, feed batches, clock ticks and effects to the one reducer,
 * and draws the top of the navigation stack as its view's descriptor says. No logic of its own.
 */
import { useCallback, useEffect, useMemo, useReducer, type ReactElement } from 'react';
import { Box, Text, useApp, useInput, useStdin } from 'ink';
import { fit } from './components/truncate.js';
import { Breadcrumbs } from './components/breadcrumbs.js';
import { DocView } from './components/doc-view.js';
import { Footer, hintText } from './components/footer.js';
import { Header } from './components/header.js';
import { StatusLine } from './components/status-line.js';
import type { FeedEvent, LogFeed } from './feeds/log-feed.js';
import { useEffects } from './hooks/use-effects.js';
import { useFeedBatches } from './hooks/use-feed-batches.js';
import { useLiveAuthz } from './hooks/use-live-authz.js';
import { useTerminalSize, type TerminalSize } from './hooks/use-terminal-size.js';
import { normalizeKeys } from './input/normalize-keys.js';
import { NO_IO, type UiIo } from './io.js';
import { reduceApp, type AppAction } from './state/app-reducer.js';
import { initialState, type AppState, type UiData } from './state/app-state.js';
import { top, type ViewEntry } from './state/navigation.js';
import { frozenLabel } from './state/freeze.js';
import { ALL_VIEWS, footerKeys, footerLead } from './views/view-keys.js';
import { documentOf, selectedIndex } from './views/view-content.js';
import { headerCounts } from './state/header-counts.js';
import { ThemeContext } from './theme.js';
import { viewDescriptor } from './views/registry.js';

export interface AppProps {
  readonly data: UiData;
  readonly feed: LogFeed;
  readonly colors: boolean;
  readonly clock?: () => number;
  /** fixed size (tests); otherwise the terminal's, following resizes */
  readonly size?: TerminalSize;
  readonly initialNamespace?: string | null;
  readonly tickMs?: number;
  readonly flushMs?: number;
  /** file writes and the clipboard (default: none, each says so) */
  readonly io?: UiIo;
  /** called after quit has restored log levels (default: unmount) */
  readonly onQuit?: () => void;
}

const CHROME_ROWS = 6;
/** Below this the layout cannot be drawn without garbage: one line asks for more room instead. */
export const MIN_COLUMNS = 40;
export const MIN_ROWS = 10;

function tooSmall(size: TerminalSize): boolean {
  return size.columns < MIN_COLUMNS || size.rows < MIN_ROWS;
}

export function enlargeMessage(size: TerminalSize): string {
  return `meshdbg: enlarge the window (${size.columns}x${size.rows}; needs ${MIN_COLUMNS}x${MIN_ROWS})`;
}

function MainView({
  data,
  state,
  entry,
  width,
  height,
}: {
  data: UiData;
  state: AppState;
  entry: ViewEntry;
  width: number;
  height: number;
}): ReactElement {
  const cursor = selectedIndex(data, state, entry);
  const view = viewDescriptor(entry.view);
  if (view.render) return view.render({ data, state, cursor, width, height, entry });
  return (
    <DocView lines={documentOf(data, state, entry, ALL_VIEWS)} offset={entry.cursor} width={width} height={height} />
  );
}

type Dispatch = (action: AppAction) => void;

function useApplication(props: AppProps): {
  state: AppState;
  dispatch: Dispatch;
  onKeys: (input: string, key: Parameters<typeof normalizeKeys>[1]) => void;
} {
  const clock = props.clock ?? Date.now;
  const reducer = useMemo(() => reduceApp(props.data), [props.data]);
  const [state, dispatch] = useReducer(reducer, undefined, () => initialState(clock(), props.initialNamespace ?? null));
  const { exit } = useApp();
  const onBatch = useCallback(
    (events: readonly FeedEvent[]) => dispatch({ type: 'feed', events, now: clock() }),
    [clock],
  );
  useFeedBatches(props.feed, onBatch, { flushMs: props.flushMs ?? 100, maxPending: 500 });
  useEffect(() => {
    const timer = setInterval(() => dispatch({ type: 'tick', now: clock() }), props.tickMs ?? 1000);
    return () => clearInterval(timer);
  }, [clock, props.tickMs]);
  useEffects(state.effects, state.raised, {
    feed: props.feed,
    dispatch,
    clock,
    exit: props.onQuit ?? exit,
    io: props.io ?? NO_IO,
  });
  const onKeys = useCallback(
    (input: string, key: Parameters<typeof normalizeKeys>[1]) =>
      dispatch({ type: 'keys', keys: normalizeKeys(input, key), now: clock() }),
    [clock],
  );
  return { state, dispatch, onKeys };
}

export function App(props: AppProps): ReactElement {
  const { isRawModeSupported } = useStdin();
  const { state, dispatch, onKeys } = useApplication(props);
  useInput(onKeys, { isActive: isRawModeSupported === true });
  const size = useTerminalSize(props.size);
  const entry = top(state.stack);
  const height = Math.max(3, size.rows - CHROME_ROWS - (state.raised.length > 0 ? 1 : 0));
  const width = Math.max(20, size.columns);
  useEffect(() => dispatch({ type: 'resize', pageSize: height - 1, width }), [dispatch, height, width]);
  useLiveAuthz(
    props.data.liveAuthzCheck,
    entry.view === 'pod' ? (props.data.rowsByKey.get(entry.pod) ?? null) : null,
    dispatch,
  );
  const { data } = props;
  if (tooSmall(size)) return <Text>{fit(enlargeMessage(size), Math.max(1, size.columns))}</Text>;
  return (
    <ThemeContext.Provider value={{ colors: props.colors }}>
      <Box flexDirection="column" width={width}>
        <Header
          source={data.sourceLabel}
          namespace={state.namespace}
          {...headerCounts(data, state)}
          unrecognizedDenials={state.unrecognizedDenials}
          availability={data.availability}
          raised={state.raised}
          now={state.now}
          width={width}
          readonly={data.readonly}
        />
        <Breadcrumbs stack={state.stack} filter={state.filters[entry.view] ?? ''} width={width} />
        <Box height={height} flexDirection="column" overflow="hidden">
          <MainView data={data} state={state} entry={entry} width={width} height={height} />
        </Box>
        <StatusLine mode={state.mode} flash={state.flash} width={width} />
        <Footer
          hints={hintText(footerKeys(state, data), footerLead(state))}
          width={width}
          frozen={frozenLabel(state)}
        />
      </Box>
    </ThemeContext.Provider>
  );
}
