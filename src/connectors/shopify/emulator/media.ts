import type { UserErrorBody } from './orders.js';
import { gid, list, numericId, type JsonObject } from './support.js';

/** A product's media item: a MediaImage made from a `FileSetInput` of `productSet`. */
export interface MediaRecord {
  id: string;
  /** The external URL Shopify fetched the image from. */
  originalSource: string;
  alt: string;
}

/** A checked `files` entry: existing media to keep (`id`), or new media to make. */
export type MediaPlan = { id?: string; originalSource: string; alt: string }[];

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const httpUrl = (value: string) => {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
};

/**
 * Checks `productSet`'s `files` against the product's media as Shopify does before changing
 * anything: a file naming an existing media `id` keeps it; any other needs an external image URL
 * in `originalSource` (this emulator takes images only: contentType IMAGE or none).
 */
export function planMedia(existing: readonly MediaRecord[], files: unknown): { plan: MediaPlan } | { error: UserErrorBody } {
  const plan: MediaPlan = [];
  for (const [i, file] of list(files).entries()) {
    const field = (name: string) => ['input', 'files', String(i), name];
    const alt = str(file['alt']);
    const contentType = file['contentType'];
    if (contentType !== undefined && contentType !== null && contentType !== 'IMAGE') {
      return { error: { field: field('contentType'), message: `Content type ${String(contentType)} is not supported for an external URL.`, code: 'INVALID_INPUT' } };
    }
    if (file['id'] !== undefined && file['id'] !== null) {
      const kept = existing.find((m) => m.id === numericId(file['id']));
      if (!kept) return { error: { field: field('id'), message: 'File does not exist', code: 'FILE_DOES_NOT_EXIST' } };
      plan.push({ id: kept.id, originalSource: kept.originalSource, alt: alt ?? kept.alt });
      continue;
    }
    const source = str(file['originalSource']);
    if (source === undefined || !httpUrl(source)) {
      return { error: { field: field('originalSource'), message: 'Original source must be an external http(s) URL.', code: 'INVALID_INPUT' } };
    }
    plan.push({ originalSource: source, alt: alt ?? '' });
  }
  return { plan };
}

/** The product's media after a checked `files` list: kept media keep their ids, new media get new ones. */
export function applyMedia(plan: MediaPlan, nextId: () => string): MediaRecord[] {
  return plan.map((entry) => ({ id: entry.id ?? nextId(), originalSource: entry.originalSource, alt: entry.alt }));
}

/** A MediaImage node (`Product.media`). */
export function mediaNode(media: MediaRecord): JsonObject {
  return {
    __typename: 'MediaImage',
    id: gid('MediaImage', media.id),
    alt: media.alt,
    mediaContentType: 'IMAGE',
    status: 'READY',
    image: { __typename: 'Image', url: media.originalSource, altText: media.alt },
  };
}

/** The sandbox view of a product's images. */
export function sandboxImages(media: readonly MediaRecord[]): { id: string; url: string; alt: string }[] {
  return media.map((m) => ({ id: gid('MediaImage', m.id), url: m.originalSource, alt: m.alt }));
}
