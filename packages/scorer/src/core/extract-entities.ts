import type { Post } from "@defi-sentiment/shared";

export interface PostEntities {
  cashtags: string[];
  hashtags: string[];
  mentions: string[];
  protocols: string[];
  domains: string[];
}

const uniq = (xs: string[]) => [...new Set(xs)];

export function extractEntities(post: Post): PostEntities {
  const text = post.text;
  const cashtags = uniq([...post.cashtags, ...[...text.matchAll(/\$([A-Za-z][A-Za-z0-9]{0,9})\b/g)].map((m) => m[1]!)].map((c) => c.toUpperCase()));
  const hashtags = uniq([...post.hashtags, ...[...text.matchAll(/#(\w+)/g)].map((m) => m[1]!)]);
  const mentions = uniq([...post.mentions, ...[...text.matchAll(/@(\w{1,15})/g)].map((m) => m[1]!)]);
  const domains = uniq(post.urls.flatMap((u) => { try { return [new URL(u).hostname.replace(/^www\./, "")]; } catch { return []; } }));
  return { cashtags, hashtags, mentions, protocols: [], domains };
}
