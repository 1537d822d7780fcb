import Testing
@Test func kioskPlaceholder() {}
