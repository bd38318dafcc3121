/**
 * "Never a silent drop": words that mark a line as a probable denial. A line that carries one
 * and that no parser understood is reported to the user instead of being ignored. The markers
 * are the denial signals of the formats meshdbg reads: HTTP 401/403 in an access log, Envoy's
 * RBAC and ext_authz details and flags (envoyproxy.io docs `configuration/observability/access_log/usage`),
 * ztunnel's `policy rejection` (istio/ztunnel src/proxy.rs), Calico's `DENIED` / `action="deny"`
 * and `calico-packet` (projectcalico/calico felix/bpf-gpl/skb.h, felix/rules/policy.go).
 */

const MARKERS: readonly RegExp[] = [
  /(?:^|["\s])40[13](?=\s)/, // an HTTP status column
  /"(?:response_code|responseCode|status_code|code)"\s*:\s*"?40[13]\b/,
  /\brbac_access_denied|\bRBAC: access denied|\benforced denied|\bshadow denied/,
  /\bUAEX\b|ext_authz_(?:denied|error)|[Ee]xt_authz (?:filter )?rejected/,
  /policy rejection|RBAC rejected|policies exist, but none allowed|deny policy match|no allow policies match/,
  /filter_chain_not_found/,
  /\bDENIED\b|action="?[Dd]eny"?|"action"\s*:\s*"[Dd]eny"|\|deny\|/,
  /\bcalico-packet\b/,
  /\bdenied\b|\bPERMISSION_DENIED\b/i,
];

/** Cheap pre-check: every marker contains one of these characters or digits. */
function mayCarryMarker(line: string): boolean {
  return (
    line.indexOf('40') !== -1 ||
    line.indexOf('enied') !== -1 ||
    line.indexOf('ENIED') !== -1 ||
    line.indexOf('eny') !== -1 ||
    line.indexOf('UAEX') !== -1 ||
    line.indexOf('ext_authz') !== -1 ||
    line.indexOf('reject') !== -1 ||
    line.indexOf('none allowed') !== -1 ||
    line.indexOf('policies match') !== -1 ||
    line.indexOf('filter_chain') !== -1 ||
    line.indexOf('calico-packet') !== -1
  );
}

/** true when the line carries a denial marker. */
export function hasDenialMarker(line: string): boolean {
  if (!mayCarryMarker(line)) return false;
  for (const m of MARKERS) if (m.test(line)) return true;
  return false;
}
