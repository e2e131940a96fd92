package io.probity;
class Placeholder {}
