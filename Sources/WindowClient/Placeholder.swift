public enum WindowClientPlaceholder {}
