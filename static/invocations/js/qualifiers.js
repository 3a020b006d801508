// Lambda's unpublished version: what an unqualified call, mapping or source runs when it names no qualifier.

export const LATEST = "$LATEST";

export function qualifierOr(qualifier) {
  return qualifier || LATEST;
}
