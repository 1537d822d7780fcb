public enum KioskCorePlaceholder {}
