/**
 * Slugs keep letters and digits of any script (a Japanese title gets a Japanese slug),
 * so they stay readable; everything else becomes a single dash.
 */
const maxSlugBaseLength = 96;

export const slugify = (title: string): string => {
  const base = title
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M}]+/gu, "-")
    .replace(/^-+|-+$/g, "");
  const bounded = [...base].slice(0, maxSlugBaseLength).join("").replace(/-+$/, "");
  return bounded || "article";
};

/** A random suffix for a title that is already taken: 6 base-36 characters, about 2 billion choices. */
export const slugWithSuffix = (base: string): string => {
  const suffix = crypto.getRandomValues(new Uint32Array(1))[0]?.toString(36).padStart(6, "0").slice(-6);
  return `${base}-${suffix}`;
};
