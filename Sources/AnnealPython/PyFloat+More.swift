extension PyFloat {
}
