// Lint rules of koodrive-space that Redocly's configurable rules cannot say precisely.
// Loaded by ../redocly.yaml; tests/test_lint_rules.py proves each rule fires on a broken spec.

const ERROR_ENVELOPE = '#/components/schemas/ErrorResponse';

// Each operation documents at least one 4xx and one 5xx reply, and every 4xx/5xx reply's
// content is the error envelope, referenced (not copied) so all errors share one shape.
function ErrorResponses() {
  return {
    Operation: {
      enter(operation, ctx) {
        const responses = operation.responses ?? {};
        const statuses = Object.keys(responses);
        for (const [klass, pattern] of [['4xx', /^4(\d\d|XX)$/], ['5xx', /^5(\d\d|XX)$/]]) {
          if (!statuses.some((status) => pattern.test(status))) {
            ctx.report({
              message: `Operation has no ${klass} response; document it with the ${ERROR_ENVELOPE} envelope.`,
              location: ctx.location.child('responses').key(),
            });
          }
        }
        for (const status of statuses.filter((s) => /^[45]/.test(s))) {
          const { node: response, location } = ctx.resolve(responses[status]);
          const where = location ?? ctx.location.child(['responses', status]);
          const content = response?.content ?? {};
          const mediaTypes = Object.keys(content);
          if (mediaTypes.length === 0) {
            ctx.report({
              message: `The ${status} response has no content; it must carry the ${ERROR_ENVELOPE} envelope.`,
              location: where,
            });
          }
          for (const mediaType of mediaTypes) {
            const ref = content[mediaType]?.schema?.$ref;
            if (ref !== ERROR_ENVELOPE) {
              ctx.report({
                message: `The ${status} response's ${mediaType} schema must be $ref: '${ERROR_ENVELOPE}' (found ${ref ?? 'an inline schema'}).`,
                location: where.child(['content', mediaType, 'schema']),
              });
            }
          }
        }
      },
    },
  };
}

// Every property of every object schema has its own description, or references a schema that
// has one (in OpenAPI 3.0 a description beside a $ref is ignored).
function PropertyDescription() {
  return {
    SchemaProperties: {
      enter(properties, ctx) {
        for (const [name, property] of Object.entries(properties)) {
          const { node } = ctx.resolve(property);
          const description = node?.description;
          if (typeof description !== 'string' || description.trim() === '') {
            ctx.report({
              message: `Property \`${name}\` has no description.`,
              location: ctx.location.child([name]).key(),
            });
          }
        }
      },
    },
  };
}

export default function koodrivePlugin() {
  return {
    id: 'koodrive',
    rules: {
      oas3: {
        'error-responses': ErrorResponses,
        'property-description': PropertyDescription,
      },
    },
  };
}
