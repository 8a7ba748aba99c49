// Which rule engine judged: it goes into the rule judge's run ids and unit ids, so runs of the
// token rules are never resumed with the tree-sitter rules (or a later version of them).
// 2: code the rules refuse (no program, not parseable, too large, too deep) is an error, not a verdict.
export const TREE_RULES_ENGINE = 'tree-sitter-2';
