import { CATEGORY_RULES, NO_RULE_MATCHED, type CategoryField } from './category-rules.ts';
import type { Category } from './record.ts';

export type CategorizeInput = Record<CategoryField, string | null>;

export interface Categorized {
  category: Category;
  /** The rule that decided, in words (CATEGORY_RULES[i].rule), or 'no rule matched' for `other`. */
  rule: string;
}

/**
 * Picks the category from the permit's type, subtype and work description: the first rule of
 * CATEGORY_RULES that matches wins. Null fields match nothing; a record none of the rules
 * recognise is `other`, never guessed.
 */
export function categorize(input: CategorizeInput): Categorized {
  for (const rule of CATEGORY_RULES) {
    if (rule.fields.some((field) => matches(rule.pattern, input[field]))) {
      return { category: rule.category, rule: rule.rule };
    }
  }
  return { category: 'other', rule: NO_RULE_MATCHED };
}

function matches(pattern: RegExp, text: string | null): boolean {
  return text !== null && pattern.test(text);
}
