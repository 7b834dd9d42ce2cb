/**
 * An image reference is pinned when it names a digest, or a tag carrying a version number
 * (`1.30.4-alpine`, `v3.7.3`); `latest`, a bare name and word-only tags (`alpine`) are not.
 */
export const isPinnedImage = (reference: string): boolean => {
  if (/@sha256:[0-9a-f]{64}$/.test(reference)) return true;
  const lastSegment = reference.slice(reference.lastIndexOf("/") + 1);
  const colon = lastSegment.indexOf(":");
  if (colon === -1) return false;
  const tag = lastSegment.slice(colon + 1);
  return tag !== "latest" && !tag.includes("latest") && /^v?\d+(\.\d+)+/.test(tag);
};
