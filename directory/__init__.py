"""Secondary Breast Cancer Support Directory: find UK support for people living with secondary breast cancer."""
