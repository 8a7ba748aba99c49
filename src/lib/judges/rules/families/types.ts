// What a rule family reports: the rule, the line, and why.

export interface TreeFinding {
	rule: string;
	line: number;
	message: string;
}
