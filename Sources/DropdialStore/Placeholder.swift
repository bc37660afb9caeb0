// DropdialStore
