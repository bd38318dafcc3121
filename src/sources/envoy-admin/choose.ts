/**
 * istioctl when it is on PATH (version detected), otherwise the native port-forward path.
 */
import type { KubeContext } from '../kube/kubeconfig.js';
import { createIstioctlProxyControl, detectIstioctl } from '../istioctl.js';
import type { IstioctlDetection } from '../istioctl.js';
import { createNativeProxyControl, portForwardRequester } from './native-proxy-control.js';
import type { ProxyControl } from './proxy-control.js';

export interface ChooseProxyOptions {
  readonly context: KubeContext;
  /** --kubeconfig as given (istioctl resolves KUBECONFIG itself when null). */
  readonly kubeconfigFlag: string | null;
  readonly timeoutMs: number;
  readonly istioctlBinary?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export interface ChosenProxyControl {
  readonly control: ProxyControl;
  readonly istioctl: IstioctlDetection;
}

export async function chooseProxyControl(opts: ChooseProxyOptions): Promise<ChosenProxyControl> {
  const istioctl = await detectIstioctl({ binary: opts.istioctlBinary, timeoutMs: opts.timeoutMs, env: opts.env });
  if (istioctl.available) {
    const control = createIstioctlProxyControl({
      binary: istioctl.binary,
      kubeconfig: opts.kubeconfigFlag,
      context: opts.context.contextName,
      timeoutMs: opts.timeoutMs,
      env: opts.env,
    });
    return { control, istioctl };
  }
  return {
    control: createNativeProxyControl(portForwardRequester(opts.context.kc), { timeoutMs: opts.timeoutMs }),
    istioctl,
  };
}
