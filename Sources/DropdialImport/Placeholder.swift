// DropdialImport
