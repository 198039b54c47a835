import ts from 'typescript'

/** The names a module's top-level statements bind: imports, variables, functions, classes, types. */
export function declaredNames (source: ts.SourceFile): Set<string> {
  const names = new Set<string>()
  const bind = (name: ts.BindingName): void => {
    if (ts.isIdentifier(name)) { names.add(name.text); return }
    for (const element of name.elements) if (!ts.isOmittedExpression(element)) bind(element.name)
  }
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause
      if (clause?.name !== undefined) names.add(clause.name.text)
      const bindings = clause?.namedBindings
      if (bindings !== undefined && ts.isNamespaceImport(bindings)) names.add(bindings.name.text)
      if (bindings !== undefined && ts.isNamedImports(bindings)) for (const e of bindings.elements) names.add(e.name.text)
    } else if (ts.isVariableStatement(statement)) {
      for (const d of statement.declarationList.declarations) bind(d.name)
    } else if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isInterfaceDeclaration(statement) ||
      ts.isTypeAliasDeclaration(statement) || ts.isEnumDeclaration(statement)) && statement.name !== undefined) {
      names.add(statement.name.text)
    }
  }
  return names
}

/**
 * The part of a docs-test context (imports and declarations a Markdown file's fragments assume) that
 * `code` does not declare itself, as lines to put before it. A fragment that imports or declares `app`
 * itself gets no second `app`.
 */
export function contextFor (context: string, code: string): string {
  const own = declaredNames(ts.createSourceFile('block.ts', code, ts.ScriptTarget.Latest))
  const source = ts.createSourceFile('context.ts', context, ts.ScriptTarget.Latest)
  const kept: string[] = []
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement) && statement.importClause !== undefined) {
      const clause = statement.importClause
      const from = statement.moduleSpecifier.getText(source)
      const type = clause.isTypeOnly ? 'type ' : ''
      const parts: string[] = []
      if (clause.name !== undefined && !own.has(clause.name.text)) parts.push(clause.name.text)
      const bindings = clause.namedBindings
      if (bindings !== undefined && ts.isNamespaceImport(bindings) && !own.has(bindings.name.text)) parts.push(`* as ${bindings.name.text}`)
      if (bindings !== undefined && ts.isNamedImports(bindings)) {
        const named = bindings.elements.filter(e => !own.has(e.name.text)).map(e => e.getText(source))
        if (named.length > 0) parts.push(`{ ${named.join(', ')} }`)
      }
      if (parts.length > 0) kept.push(`import ${type}${parts.join(', ')} from ${from}`)
      continue
    }
    const names = declaredNames(ts.factory.updateSourceFile(source, [statement]))
    if (![...names].some(n => own.has(n))) kept.push(statement.getText(source))
  }
  return kept.length === 0 ? '' : kept.join('\n') + '\n'
}

/**
 * For a JavaScript block, which cannot hold TypeScript declarations: the context as a TypeScript module
 * exporting what it declares, and the one import line that brings the names `code` lacks into the block.
 */
export function contextModuleFor (context: string, code: string, moduleSpecifier: string): { module: string, header: string } {
  const own = declaredNames(ts.createSourceFile('block.js', code, ts.ScriptTarget.Latest))
  const source = ts.createSourceFile('context.ts', context, ts.ScriptTarget.Latest)
  const types = typeOnlyNames(source)
  const values = [...declaredNames(source)].filter(n => !types.has(n)).sort()
  const wanted = values.filter(n => !own.has(n))
  return {
    module: `${context}\nexport { ${values.join(', ')} }\n`,
    header: wanted.length === 0 ? '' : `import { ${wanted.join(', ')} } from '${moduleSpecifier}'\n`
  }
}

function typeOnlyNames (source: ts.SourceFile): Set<string> {
  const names = new Set<string>()
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement) && statement.importClause !== undefined) {
      const clause = statement.importClause
      const bindings = clause.namedBindings
      if (clause.isTypeOnly) {
        if (clause.name !== undefined) names.add(clause.name.text)
        if (bindings !== undefined && ts.isNamedImports(bindings)) for (const e of bindings.elements) names.add(e.name.text)
      } else if (bindings !== undefined && ts.isNamedImports(bindings)) {
        for (const e of bindings.elements) if (e.isTypeOnly) names.add(e.name.text)
      }
    } else if (ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) {
      names.add(statement.name.text)
    }
  }
  return names
}
