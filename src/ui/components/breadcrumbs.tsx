import type { ReactElement } from 'react';
import { Text } from 'ink';
import type { NavStack } from '../state/navigation.js';
import { breadcrumbs } from '../views/view-content.js';
import { stripControl } from '../sanitize.js';
import { fit } from './truncate.js';

/** `<pods> <poc-mesh/backend-x> <logs ...>` from the navigation stack, k9s style. */
export function Breadcrumbs({
  stack,
  filter,
  width,
}: {
  stack: NavStack;
  filter: string;
  width: number;
}): ReactElement {
  const crumbs = breadcrumbs(stack)
    .map((c) => `<${stripControl(c)}>`)
    .join(' ');
  return <Text bold>{fit(`${crumbs}${filter ? `  /${filter}` : ''}`, width)}</Text>;
}
