import { z } from 'zod';
import { isRetryable } from '../../model/index.js';
import type { HttpClient } from '../framework/index.js';

/** Frappe's `frappe.desk.form.load.getdoctype` answer: the doctype's meta (and its child tables') in `docs`. */
const MetaBundle = z.object({
  docs: z.array(
    z.looseObject({
      name: z.string(),
      fields: z.array(z.looseObject({ fieldname: z.string().nullish(), unique: z.union([z.number(), z.boolean()]).nullish() })).nullish(),
    }),
  ),
});

/** The method that answers a doctype's meta to any user who may read the doctype. */
export const getDoctypeMethod = 'frappe.desk.form.load.getdoctype';

/**
 * Whether the reference field is marked Unique on a doctype, read once per doctype from its meta.
 * A Unique field makes the database refuse a second document with the same reference, so a create
 * needs no look-up afterwards to catch a race. When the meta cannot be read the answer is false
 * (the safe side); a transient failure is asked again next time, any other is remembered.
 */
export function uniqueReferenceProbe(http: HttpClient, referenceField: string): (doctype: string) => Promise<boolean> {
  const known = new Map<string, Promise<boolean>>();
  const read = async (doctype: string): Promise<boolean> => {
    const response = await http.request({ method: 'GET', path: `/api/method/${getDoctypeMethod}`, query: { doctype } });
    const parsed = MetaBundle.safeParse(response.body);
    if (!parsed.success) return false;
    const field = parsed.data.docs.find((doc) => doc.name === doctype)?.fields?.find((f) => f.fieldname === referenceField);
    return field?.unique === 1 || field?.unique === true;
  };
  return (doctype) => {
    let answer = known.get(doctype);
    if (!answer) {
      answer = read(doctype).catch((error: unknown) => {
        if (isRetryable(error)) known.delete(doctype);
        return false;
      });
      known.set(doctype, answer);
    }
    return answer;
  };
}
