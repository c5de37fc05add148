/** Free-text profile location → ISO 3166-1 alpha-2, or null when unknown. First version. */
const KNOWN: Record<string, string> = { "united states": "US", usa: "US", nyc: "US", "new york": "US", london: "GB", uk: "GB", "united kingdom": "GB", germany: "DE", france: "FR", japan: "JP", singapore: "SG", dubai: "AE", uae: "AE" };

export function normaliseLocation(raw: string | null): string | null {
  if (!raw) return null;
  const key = raw.trim().toLowerCase();
  if (KNOWN[key]) return KNOWN[key];
  const parts = key.split(",").map((p) => p.trim());
  const last = parts[parts.length - 1];
  return (last && KNOWN[last]) ?? null;
}
