// Which rule engine judged: it goes into the rule judge's run ids and unit ids, so runs of the
// token rules are never resumed with the tree-sitter rules (or a later version of them).
// 2: code the rules refuse (no program, not parseable, too large, too deep) is an error, not a verdict.
// 3: code in another language (Go, Rust, Java, PHP, C++, JavaScript; C as Python and back) is
//    refused as well; the C families of wave 7 (sizeof bounds, owners freed, loop use-after-free)
//    and the Python input families change verdicts.
export const TREE_RULES_ENGINE = 'tree-sitter-3';
// The token rules (rules-v1) share the screen: 2 = code in another language refused.
export const TOKEN_RULES_ENGINE = 'tokens-2';
