// Which rule engine judged: it goes into the rule judge's run ids and unit ids, so runs of the
// token rules are never resumed with the tree-sitter rules (or a later version of them).
export const TREE_RULES_ENGINE = 'tree-sitter-1';
