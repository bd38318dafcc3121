/** One Service described: ports, selector, the pods it selects and their policies. */
import { serviceDoc } from '../docs/service-doc.js';
import type { ViewDescriptor } from './descriptor.js';

/** The navigation entry of this view. */
export interface ServiceEntry {
  readonly view: 'service';
  readonly cursor: number;
  /** namespace/name */
  readonly service: string;
}

export const serviceDetailView: ViewDescriptor<'service'> = {
  id: 'service',
  title: 'Service (describe)',
  crumb: (entry) => `svc ${entry.service}`,
  aliases: [],
  document: (data, _state, entry) => {
    const item = data.services.find((s) => s.key === entry.service);
    return item ? serviceDoc(item, data.rowsByKey) : [];
  },
  keys: [],
};
