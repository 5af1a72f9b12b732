export type * from './types';
export { parseRule, formatRule, ruleColumns, ruleKey } from './parse';
export { validateRules } from './validate';
export { countRule, rowRule, ruleAdherence } from './check';
export { discoverRules, ALMOST_SHARE } from './discover';
export { rulesForFit, declaredRules, isKept, type KeptRule } from './resolve';
export { reportRules } from './report';
