/** One Service described: ports, selector, the pods it selects and their policies. */
import { serviceDoc } from '../docs/service-doc.js';
import type { ViewDescriptor } from './descriptor.js';

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
