import Foundation

/// The managers' and clerks' web console: static pages, scripts and styles, shipped as this
/// target's resources. The server serves them from `folder`; the pages hold no data.
public enum WindowConsole {
    /// Where the console's files are in the built package.
    public static var folder: String {
        Bundle.module.url(forResource: "console", withExtension: nil)?.path
            ?? Bundle.module.bundleURL.appendingPathComponent("console").path
    }
}
