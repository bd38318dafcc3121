// ink's devtools.js imports the optional peer react-devtools-core; the bundle must not need it.
export default { initialize() {}, connectToDevTools() {} };
