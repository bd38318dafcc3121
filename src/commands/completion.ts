/**
 * `meshdbg completion bash|zsh|fish`: a completion script for commands, flags and, on a live
 * cluster, namespaces (`-n`) and pods (`explain SRC DST`), read with kubectl as kubectl's own
 * completion does, so nothing is contacted until a completion is asked for.
 */
import { inputError } from '../util/errors.js';
import { OPTION_SPEC } from './options.js';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
type Shell = (typeof SHELLS)[number];

/** The first words meshdbg takes (commands/main.ts dispatches them). */
export const COMMAND_WORDS = [
  'demo',
  'explain',
  'check',
  'lint',
  'authz-check',
  'denials',
  'snapshot',
  'map',
  'diff',
  'completion',
  'help',
] as const;

function flags(): string[] {
  return Object.entries(OPTION_SPEC).flatMap(([name, spec]) => [
    `--${name}`,
    ...('short' in spec && typeof spec.short === 'string' ? [`-${spec.short}`] : []),
  ]);
}

const NAMESPACES = `kubectl get namespaces -o jsonpath='{.items[*].metadata.name}' 2>/dev/null`;
const PODS = `kubectl get pods -A -o jsonpath='{range .items[*]}{.metadata.namespace}/{.metadata.name} {end}' 2>/dev/null`;
const CONTEXTS = `kubectl config get-contexts -o name 2>/dev/null`;

function bash(): string {
  return `# meshdbg bash completion: source <(meshdbg completion bash)
_meshdbg() {
  local cur prev
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  case "$prev" in
    -n|--namespace) COMPREPLY=($(compgen -W "$(${NAMESPACES})" -- "$cur")); return ;;
    --context) COMPREPLY=($(compgen -W "$(${CONTEXTS})" -- "$cur")); return ;;
    --from|--logs|--kubeconfig|--junit|-f|--file|--batch) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    -o|--output) COMPREPLY=($(compgen -W "text json yaml csv md dot" -- "$cur")); return ;;
    completion) COMPREPLY=($(compgen -W "${SHELLS.join(' ')}" -- "$cur")); return ;;
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "${flags().join(' ')}" -- "$cur"))
  elif [[ $COMP_CWORD -eq 1 ]]; then
    COMPREPLY=($(compgen -W "${COMMAND_WORDS.join(' ')}" -- "$cur"))
  elif [[ "\${COMP_WORDS[1]}" == explain ]]; then
    COMPREPLY=($(compgen -W "$(${PODS})" -- "$cur"))
  else
    COMPREPLY=($(compgen -f -- "$cur"))
  fi
}
complete -F _meshdbg meshdbg kubectl-meshdbg
`;
}

function zsh(): string {
  return `#compdef meshdbg kubectl-meshdbg
# meshdbg zsh completion: source <(meshdbg completion zsh)
autoload -U +X bashcompinit && bashcompinit
${bash()}`;
}

function fish(): string {
  const long = Object.keys(OPTION_SPEC)
    .map((name) => `complete -c meshdbg -l ${name}`)
    .join('\n');
  return `# meshdbg fish completion: meshdbg completion fish | source
complete -c meshdbg -f
complete -c meshdbg -n __fish_use_subcommand -a "${COMMAND_WORDS.join(' ')}"
${long}
complete -c meshdbg -s n -l namespace -x -a "(${NAMESPACES} | string split ' ')"
complete -c meshdbg -l context -x -a "(${CONTEXTS})"
complete -c meshdbg -l from -r -F
complete -c meshdbg -l logs -r -F
complete -c meshdbg -n "__fish_seen_subcommand_from explain" -x -a "(${PODS} | string split ' ')"
complete -c meshdbg -n "__fish_seen_subcommand_from completion" -x -a "${SHELLS.join(' ')}"
`;
}

const SCRIPTS: Readonly<Record<Shell, () => string>> = { bash, zsh, fish };

export function completionScript(shell: string | undefined): string {
  const script = shell !== undefined && (SHELLS as readonly string[]).includes(shell) ? SCRIPTS[shell as Shell] : null;
  if (script === null)
    throw inputError(
      'bad-flag',
      `completion ${shell ?? '(no shell)'}: give the shell, one of ${SHELLS.join(', ')}`,
      'source <(meshdbg completion bash)',
    );
  return script();
}

export function runCompletion(argv: readonly string[]): Promise<number> {
  process.stdout.write(completionScript(argv[0]));
  return Promise.resolve(0);
}
