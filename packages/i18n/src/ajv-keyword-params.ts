/**
 * The params Ajv 8 reports per validation keyword: the placeholders a `validation.<keyword>` message
 * may use. The checker rejects any other placeholder, since the plugin passes Ajv's params as they are.
 */
export const AJV_KEYWORD_PARAMS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  required: ['missingProperty'],
  type: ['type'],
  format: ['format'],
  minLength: ['limit'],
  maxLength: ['limit'],
  minimum: ['limit', 'comparison'],
  maximum: ['limit', 'comparison'],
  exclusiveMinimum: ['limit', 'comparison'],
  exclusiveMaximum: ['limit', 'comparison'],
  pattern: ['pattern'],
  enum: ['allowedValues'],
  const: ['allowedValue'],
  additionalProperties: ['additionalProperty'],
  minItems: ['limit'],
  maxItems: ['limit'],
  uniqueItems: ['i', 'j'],
  multipleOf: ['multipleOf'],
  anyOf: [],
  oneOf: ['passingSchemas'],
  not: [],
  dependentRequired: ['property', 'missingProperty', 'depsCount', 'deps'],
  dependencies: ['property', 'missingProperty', 'depsCount', 'deps'],
  minProperties: ['limit'],
  maxProperties: ['limit'],
  if: ['failingKeyword'],
  contains: ['minContains', 'maxContains'],
  propertyNames: ['propertyName'],
  unevaluatedProperties: ['unevaluatedProperty'],
  unevaluatedItems: ['len'],
  additionalItems: ['limit'],
  items: ['limit'],
  minContains: ['limit'],
  maxContains: ['limit']
})
