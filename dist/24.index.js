export const id = 24;
export const ids = [24];
export const modules = {

/***/ 4024:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   cloudClients: () => (/* binding */ cloudClients)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_cloudwatch_logs__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(70303);
/* harmony import */ var _aws_sdk_client_eks__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(24524);
/* harmony import */ var _aws_sdk_client_iam__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(16764);
/* harmony import */ var _aws_sdk_client_sts__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(71695);
/* harmony import */ var _aws_clients_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(96076);
/** The AWS clients of cloud services, made once per run and closed with it. */





function cloudClients(region, { callLog, signal }) {
    const settings = (0,_aws_clients_js__WEBPACK_IMPORTED_MODULE_0__.clientConfig)(region, signal);
    const clients = {
        iam: (0,_aws_clients_js__WEBPACK_IMPORTED_MODULE_0__.instrument)(new _aws_sdk_client_iam__WEBPACK_IMPORTED_MODULE_1__/* .IAMClient */ .h8v(settings), 'iam', callLog),
        logs: (0,_aws_clients_js__WEBPACK_IMPORTED_MODULE_0__.instrument)(new _aws_sdk_client_cloudwatch_logs__WEBPACK_IMPORTED_MODULE_2__/* .CloudWatchLogsClient */ .TFr(settings), 'logs', callLog),
        sts: (0,_aws_clients_js__WEBPACK_IMPORTED_MODULE_0__.instrument)(new _aws_sdk_client_sts__WEBPACK_IMPORTED_MODULE_3__/* .STSClient */ .iM(settings), 'sts', callLog),
        eks: (0,_aws_clients_js__WEBPACK_IMPORTED_MODULE_0__.instrument)(new _aws_sdk_client_eks__WEBPACK_IMPORTED_MODULE_4__/* .EKSClient */ .JQJ(settings), 'eks', callLog)
    };
    return {
        ...clients,
        close: () => Object.values(clients).forEach(client => client.destroy())
    };
}


/***/ })

};

//# sourceMappingURL=24.index.js.map